/**
 * The crew phone's part of dispatch: the order it was given, "accept", and its GPS sent while
 * on the way (every fix, at most one each 5 s) until the server records the arrival.
 * The phone listens on Socket.IO in the rooms of the fires its crew serves (sent there, or
 * linked in by 战区联动), so a dispatch or an order shows at once; a slow poll covers a
 * socket that died quietly on a weak signal.
 */
import { io, type Socket } from 'socket.io-client';
import type { CrewOrders } from '../../../server/contract/command.ts';
import type {
  CrewAssignment,
  CrewDispatch,
  PositionTaken,
} from '../../../server/contract/dispatch.ts';
import type { Actor } from '../../../server/domain/access.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../../server/domain/live-events.ts';
import * as api from '../api/http.ts';
import { locale, t, tValue } from '../i18n/i18n.ts';
import { aboutMinutes } from '../live/countdown.ts';
import { type Fix, PositionQueue, type SendResult } from './position-queue.ts';
import { authHeader } from './report-queue.ts';

type Task = CrewAssignment;

const SEND_EVERY_MS = 5000;
/** The task and orders are fetched again this often even without a push. */
const POLL_MS = 30_000;
/** A fix is sent at least this often while on an order, moving or not. */
const PERIODIC_MS = 15_000;

export function mountCrewTask(user: Actor): void {
  const crewId = user.crewId as string;
  const section = document.getElementById('crew-task') as HTMLElement;
  const taskEl = document.getElementById('task') as HTMLElement;
  const accept = document.getElementById('task-accept') as HTMLButtonElement;
  const gpsEl = document.getElementById('task-gps') as HTMLElement;
  section.hidden = false;
  let task: Task | null = null;
  let watch: number | null = null;
  let lastSent = 0;
  let lastFix: GeolocationPosition | null = null;

  const render = () => {
    if (!task) {
      taskEl.textContent = t('crewTask.none');
      accept.hidden = true;
      return;
    }
    const eta =
      task.etaSeconds !== null
        ? ` · ETA ${aboutMinutes(task.etaSeconds, locale() === 'zh-CN')}`
        : '';
    const drill = task.incident.drill ? `【${t('incidents.drill')}】 ` : '';
    taskEl.textContent = `${drill}${task.incident.place} · ${tValue('dispatch', task.status)}${eta}`;
    if (task.incident.drill) section.dataset.drill = '';
    else delete section.dataset.drill;
    section.dataset.status = task.status;
    accept.hidden = task.status !== 'ordered';
  };

  const ordersEl = document.getElementById('orders') as HTMLElement;
  const loadOrders = async () => {
    const res = await api.get<CrewOrders>(`/api/crews/${crewId}/orders`, { headers: authHeader() });
    if (!res.ok) return;
    const { orders } = res.value;
    ordersEl.replaceChildren(
      ...orders.map((o) => {
        const read = o.receipts[0]?.readAt !== null && o.receipts[0]?.readAt !== undefined;
        const li = document.createElement('li');
        li.dataset.order = o.id;
        li.dataset.read = String(read);
        const text = document.createElement('span');
        text.textContent = `${new Date(o.sentAt).toLocaleTimeString('zh-CN', { hour12: false })} ${o.fromLabel}: ${o.text}`;
        li.append(text);
        if (!read) {
          const btn = document.createElement('button');
          btn.type = 'button';
          btn.className = 'task-button secondary';
          btn.textContent = t('command.markRead');
          btn.addEventListener('click', async () => {
            await api.post(`/api/crews/${crewId}/orders/${o.id}/read`, undefined, {
              headers: authHeader(),
            });
            await loadOrders();
          });
          li.append(btn);
        }
        return li;
      }),
    );
  };

  const load = async () => {
    void loadOrders().catch(() => {});
    try {
      const res = await api.get<CrewDispatch>(`/api/crews/${crewId}/dispatch`, {
        headers: authHeader(),
      });
      if (!res.ok) return;
      task = res.value.dispatch;
      render();
      if (task && task.status !== 'ordered' && watch === null) startGps();
      if (!task && watch !== null) stopGps();
    } catch {
      // offline: keep showing the last task
    }
  };

  // Fixes taken without signal wait on the phone and go out oldest first (position-queue.ts).
  const queue = new PositionQueue(localStorage, `crew-fixes-${crewId}`);
  let arrived = false;
  const post = async (fix: Fix): Promise<SendResult> => {
    const res = await api.post<PositionTaken>(`/api/crews/${crewId}/positions`, fix, {
      headers: authHeader(),
    });
    if (res.ok) {
      if (res.value.arrived) arrived = true;
      return 'stored';
    }
    // Signed out or throttled: keep it for later; any other 4xx will never be taken.
    if (res.status >= 400 && res.status < 500 && ![401, 408, 429].includes(res.status))
      return 'refused';
    return 'offline';
  };
  const flush = async () => {
    await queue.flush(post);
    const waiting = queue.pending().length;
    if (waiting > 0)
      gpsEl.textContent = `${t('field.offline')} · ${waiting} ${t('crewTask.fixesWaiting')}`;
    if (arrived) {
      arrived = false;
      await load();
    }
  };
  window.addEventListener('online', () => void flush());

  const send = async (p: GeolocationPosition, force = false) => {
    const now = Date.now();
    if (!force && now - lastSent < SEND_EVERY_MS) return;
    lastSent = now;
    queue.add({
      lon: p.coords.longitude,
      lat: p.coords.latitude,
      accuracyM: p.coords.accuracy,
      recordedAt: new Date(p.timestamp || now).toISOString(),
    });
    gpsEl.textContent = `${t('crewTask.gps')} ±${Math.round(p.coords.accuracy)} m`;
    await flush();
  };

  function startGps() {
    watch = navigator.geolocation.watchPosition(
      (p) => {
        lastFix = p;
        void send(p);
      },
      () => {},
      {
        enableHighAccuracy: true,
        maximumAge: 5000,
      },
    );
  }
  function stopGps() {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    watch = null;
  }

  accept.addEventListener('click', async () => {
    if (!task) return;
    accept.disabled = true;
    await api.post(
      `/api/dispatches/${task.dispatchId}/status`,
      { status: 'acknowledged' },
      { headers: authHeader() },
    );
    accept.disabled = false;
    await load();
  });
  void load();
  setInterval(load, POLL_MS);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    // The phone fetches its task on every (re)connection, so it needs no replay.
    auth: (cb) => cb({ lastSeq: 0, token: localStorage.getItem('field-token') ?? undefined }),
  });
  socket.on('connect', () => void load());
  socket.on('incident:event', () => void load());
  // "Send my position now" (the test drives the phone's GPS with it).
  // Periodically as well as when moving: a crew standing at the fire still reports in.
  setInterval(() => {
    if (lastFix && watch !== null) void send(lastFix, true);
  }, PERIODIC_MS);
  // "Send my position now" (the last fix the GPS gave; the test drives the phone with it).
  (window as unknown as { __sendPositionNow: () => void }).__sendPositionNow = () => {
    if (lastFix) void send(lastFix, true);
  };
}
