/**
 * The command page's live state: incidents loaded once over HTTP, then kept current by
 * Socket.IO. The socket reconnects on its own and sends the last sequence seen each time,
 * so the server replays whatever was missed (also across a restart); repeats are dropped by
 * sequence.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CrewLive,
  IncidentEvent,
  IncidentSummary,
  LiveScope,
  ServerToClientEvents,
  WarningView,
} from '../../../server/domain/live-events.ts';
import { getJson } from '../ui/dom.ts';

export type LiveStatus = 'connecting' | 'live' | 'offline';

export class LiveIncidents {
  readonly incidents = new Map<string, IncidentSummary>();
  lastSeq = 0;
  status: LiveStatus = 'connecting';
  /** Server time minus this machine's, so ages and countdowns use the server's clock. */
  clockOffsetMs = 0;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private readonly listeners = new Set<(e: IncidentEvent | null, live: boolean) => void>();
  private readonly crewListeners = new Set<(c: CrewLive) => void>();

  private readonly warningListeners = new Set<(w: WarningView) => void>();
  private readonly dangerListeners = new Set<(dates: string[]) => void>();

  /** Called with each warning pushed to this page's area. */
  onWarning(fn: (w: WarningView) => void): void {
    this.warningListeners.add(fn);
  }

  /** Called when new fire danger was computed (weather arrived). */
  onDangerUpdated(fn: (dates: string[]) => void): void {
    this.dangerListeners.add(fn);
  }

  /** Called with each crew update pushed by the server. */
  onCrew(fn: (c: CrewLive) => void): void {
    this.crewListeners.add(fn);
  }
  private replaying = true;

  constructor(private readonly scope: LiveScope = { kind: 'county' }) {}

  async start(): Promise<void> {
    const t0 = Date.now();
    const res = await getJson<{
      incidents: IncidentSummary[];
      lastSeq: number;
      serverTime: string;
    }>('/api/incidents?open=true');
    this.clockOffsetMs = Date.parse(res.serverTime) - (t0 + Date.now()) / 2;
    for (const i of res.incidents) this.incidents.set(i.id, i);
    this.lastSeq = res.lastSeq;
    this.emit(null, false);
    this.socket = io({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      auth: (cb) => cb({ lastSeq: this.lastSeq, scope: this.scope }),
    });
    this.socket.on('connect', () => {
      this.replaying = true;
      this.setStatus('live');
    });
    this.socket.on('disconnect', () => this.setStatus('offline'));
    this.socket.on('connect_error', () => this.setStatus('offline'));
    this.socket.on('incident:event', (e) => {
      if (e.seq <= this.lastSeq) return;
      this.lastSeq = e.seq;
      if (e.incident.state === 'closed') this.incidents.delete(e.incidentId);
      else this.incidents.set(e.incidentId, e.incident);
      this.emit(e, !this.replaying);
    });
    this.socket.on('crew:update', (c) => {
      for (const fn of this.crewListeners) fn(c);
    });
    this.socket.on('warning:issued', (w) => {
      for (const fn of this.warningListeners) fn(w);
    });
    this.socket.on('danger:updated', ({ dates }) => {
      for (const fn of this.dangerListeners) fn(dates);
    });
    this.socket.on('replay:done', () => {
      this.replaying = false;
    });
  }

  /** Connects again so the server hears the current sign-in (its rooms, what it may see). */
  reconnect(): void {
    if (!this.socket) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Called with each event (null: a full refresh); `live` is false for replayed ones. */
  onChange(fn: (e: IncidentEvent | null, live: boolean) => void): void {
    this.listeners.add(fn);
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    this.emit(null, false);
  }

  private emit(e: IncidentEvent | null, live: boolean) {
    for (const fn of this.listeners) fn(e, live);
  }
}
