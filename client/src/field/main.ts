/**
 * 护林员上报: one big button reports smoke with the phone's GPS position and accuracy. Works
 * without signal: the report waits in IndexedDB (visible in the list) and goes out when the
 * network returns. Shows the ranger's grid, the nearest water, and what became of each
 * report sent.
 */
import '../style.css';
import './field.css';
import type { PlaceAt } from '../../../server/contract/areas.ts';
import type { LoginAnswer, Me } from '../../../server/contract/auth.ts';
import type { ReachAnswer } from '../../../server/contract/reach.ts';
import type { ReportReceipt } from '../../../server/contract/receipts.ts';
import { get, getJson, post } from '../api/http.ts';
import { applyTranslations, locale, t } from '../i18n/i18n.ts';
import { aboutMinutes } from '../live/countdown.ts';
import { h } from '../ui/dom.ts';
import { mountCrewTask } from './crew-task.ts';
import { mountFieldWarnings } from './field-warnings.ts';
import { receiptLines } from './receipt.ts';
import { all, authHeader, enqueue, flush, type QueuedReport, update } from './report-queue.ts';
import { readCompass, smokePlacement } from './smoke-bearing.ts';

const reportBtn = document.getElementById('report') as HTMLButtonElement;
const gpsEl = document.getElementById('gps') as HTMLElement;
const netEl = document.getElementById('net') as HTMLElement;
const whereEl = document.getElementById('where') as HTMLElement;
const waterEl = document.getElementById('water') as HTMLElement;
const queueEl = document.getElementById('queue') as HTMLElement;
const noteEl = document.getElementById('note') as HTMLTextAreaElement;
const photoEl = document.getElementById('photo') as HTMLInputElement;
const nameEl = document.getElementById('name') as HTMLInputElement;
const bearingEl = document.getElementById('bearing') as HTMLInputElement;
const distanceEl = document.getElementById('distance') as HTMLInputElement;
const compassBtn = document.getElementById('compass') as HTMLButtonElement;
const PLACE_KEY = 'field-last-place';
const fieldWarnings = mountFieldWarnings(whereEl.closest('section') as Element);

applyTranslations();
document.title = t('field.title');
nameEl.value = localStorage.getItem('field-name') ?? '';

function renderNet() {
  netEl.textContent = navigator.onLine ? t('field.online') : t('field.offline');
  netEl.className = `net ${navigator.onLine ? 'on' : 'off'}`;
}

async function renderQueue() {
  const reports = await all();
  queueEl.replaceChildren(
    ...(reports.length === 0
      ? [h('li', { class: 'muted' }, t('field.none'))]
      : reports.map((r) =>
          h(
            'li',
            { class: `q-${r.state}`, 'data-uuid': r.clientUuid, 'data-state': r.state },
            h(
              'span',
              { class: 'q-time' },
              new Date(r.createdAt).toLocaleTimeString('zh-CN', { hour12: false }),
            ),
            h(
              'span',
              { class: 'q-state' },
              r.state === 'queued'
                ? t('field.waiting')
                : r.state === 'sent'
                  ? `${t('field.sent')}${r.incidentState && !r.receipt ? ` · ${t(`state.${r.incidentState}` as never)}` : ''}`
                  : `${t('field.failed')}: ${r.error ?? ''}`,
            ),
            r.state === 'sent' && r.receipt
              ? h(
                  'div',
                  { class: 'q-receipt' },
                  ...receiptLines(r.receipt, Date.now()).map((line) => h('div', {}, line)),
                )
              : null,
          ),
        )),
  );
}

function position(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) =>
    navigator.geolocation.getCurrentPosition(resolve, reject, {
      enableHighAccuracy: true,
      timeout: 20_000,
      maximumAge: 30_000,
    }),
  );
}

async function showPlace(lon: number, lat: number) {
  try {
    const answer = await get<PlaceAt>(`/api/places/at?lon=${lon}&lat=${lat}`);
    if (!answer.ok) throw new Error(answer.message);
    const place = answer.value;
    if (!place.gridCode && !place.villageName) throw new Error('outside');
    fieldWarnings.follow(place.townshipCode ?? null);
    const reach = await getJson<ReachAnswer>(`/api/reach?lon=${lon}&lat=${lat}`);
    const water = reach.waterSources[0];
    const text = {
      where: `${place.townshipName ?? ''} ${place.villageName ?? ''} · ${t('card.grid')} ${place.gridCode ?? '—'}`,
      water: water
        ? `${t('field.water')}: ${water.name} · ${aboutMinutes(water.seconds, locale() === 'zh-CN')}`
        : '',
    };
    localStorage.setItem(PLACE_KEY, JSON.stringify(text));
    whereEl.textContent = text.where;
    waterEl.textContent = text.water;
  } catch {
    const last = localStorage.getItem(PLACE_KEY);
    if (last) {
      const text = JSON.parse(last) as { where: string; water: string };
      whereEl.textContent = `${text.where} (${t('field.lastKnown')})`;
      waterEl.textContent = text.water;
    }
  }
}

compassBtn.addEventListener('click', async () => {
  compassBtn.disabled = true;
  const heading = await readCompass();
  compassBtn.disabled = false;
  if (heading === null) gpsEl.textContent = t('field.noCompass');
  else bearingEl.value = heading.toFixed(1);
});

/** The optional direction and distance typed, or a message saying what is wrong. */
function smokeDirection(): { bearingDeg: number | null; distanceM: number | null } | string {
  const read = (el: HTMLInputElement) => (el.value.trim() === '' ? null : Number(el.value));
  const bearingDeg = read(bearingEl);
  const distanceM = read(distanceEl);
  if (bearingDeg !== null && !(bearingDeg >= 0 && bearingDeg < 360)) return t('field.badBearing');
  if (distanceM !== null && !(distanceM >= 50 && distanceM <= 30_000))
    return t('field.badDistance');
  return { bearingDeg, distanceM };
}

reportBtn.addEventListener('click', async () => {
  const direction = smokeDirection();
  if (typeof direction === 'string') {
    gpsEl.textContent = direction;
    return;
  }
  reportBtn.disabled = true;
  gpsEl.textContent = t('field.locating');
  try {
    const pos = await position();
    const { longitude: lon, latitude: lat, accuracy } = pos.coords;
    gpsEl.textContent = `${t('field.located')} ±${Math.round(accuracy)} m`;
    const uuid = crypto.randomUUID();
    localStorage.setItem('field-name', nameEl.value.trim());
    const report: QueuedReport = {
      clientUuid: uuid,
      body: {
        clientUuid: uuid,
        // Only a signed-in ranger may report as one; anyone else reports as the public.
        source: localStorage.getItem('field-token') ? 'ranger' : 'public',
        ...smokePlacement(
          { lon, lat, accuracyM: accuracy },
          direction.bearingDeg,
          direction.distanceM,
        ),
        observedAt: new Date(pos.timestamp || Date.now()).toISOString(),
        ...(noteEl.value.trim() ? { note: noteEl.value.trim() } : {}),
        ...(nameEl.value.trim() ? { reporterName: nameEl.value.trim() } : {}),
      },
      photo: photoEl.files?.[0] ?? null,
      createdAt: Date.now(),
      state: 'queued',
    };
    await enqueue(report);
    noteEl.value = '';
    photoEl.value = '';
    bearingEl.value = '';
    distanceEl.value = '';
    await renderQueue();
    await flush();
    await refreshSent();
    void showPlace(lon, lat);
  } catch (err) {
    gpsEl.textContent = `${t('field.noGps')} (${(err as GeolocationPositionError).message ?? err})`;
  } finally {
    reportBtn.disabled = false;
  }
});

/** What became of the reports sent in the last day: each one's receipt. */
async function refreshSent() {
  if (!navigator.onLine) return;
  const since = Date.now() - 24 * 3600_000;
  for (const r of await all()) {
    if (r.state !== 'sent' || r.createdAt < since) continue;
    const res = await get<ReportReceipt>(`/api/reports/${r.clientUuid}/receipt`);
    if (res.status === 0) return;
    if (res.ok) await update(r.clientUuid, { receipt: res.value, incidentState: res.value.state });
  }
  await renderQueue();
}

window.addEventListener('online', async () => {
  renderNet();
  await flush();
  await refreshSent();
});
window.addEventListener('offline', renderNet);
setInterval(async () => {
  await flush();
  await refreshSent();
}, 15_000);
// Minutes until a crew is due count down between fetches.
setInterval(() => void renderQueue(), 30_000);

renderNet();
void renderQueue();
void flush().then(refreshSent);
if ('serviceWorker' in navigator)
  void navigator.serviceWorker.register('/field-sw.js', { scope: '/field' });
navigator.geolocation?.getCurrentPosition(
  (p) => void showPlace(p.coords.longitude, p.coords.latitude),
  () => {},
  { maximumAge: 60_000, timeout: 20_000 },
);
// Account: a ranger or a crew phone signs in once; the token stays on the phone.
const signinForm = document.getElementById('signin') as HTMLFormElement;
const signoutBtn = document.getElementById('signout') as HTMLButtonElement;
const accountSummary = document.getElementById('account-summary') as HTMLElement;
async function loadAccount() {
  const token = localStorage.getItem('field-token');
  if (!token) return;
  const res = await get<Me>('/api/auth/me', {
    headers: { authorization: `Bearer ${token}` },
  });
  // Offline: reports still queue with the stored token.
  if (res.status === 0) return;
  const user = res.ok ? res.value.user : null;
  if (!user) {
    localStorage.removeItem('field-token');
    return;
  }
  accountSummary.textContent = user.displayName;
  signinForm.hidden = true;
  signoutBtn.hidden = false;
  if (user.crewId) mountCrewTask(user);
}
signinForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await post<LoginAnswer>('/api/auth/login', {
    username: (document.getElementById('f-username') as HTMLInputElement).value.trim(),
    password: (document.getElementById('f-password') as HTMLInputElement).value,
    client: 'field',
  });
  if (!res.ok || !res.value.token) {
    (document.getElementById('signin-error') as HTMLElement).textContent = res.ok
      ? 'HTTP 200'
      : res.message;
    return;
  }
  localStorage.setItem('field-token', res.value.token);
  await loadAccount();
});
signoutBtn.addEventListener('click', async () => {
  await post('/api/auth/logout', undefined, { headers: authHeader() });
  localStorage.removeItem('field-token');
  location.reload();
});
void loadAccount();

(window as unknown as { __fieldReady: boolean }).__fieldReady = true;
