/**
 * `npm run drill:simulate -- --incident UUID --username NAME [--server URL] [--every 5]
 *   [--speed-kmh 30] [--speedup 1] < password`
 *
 * Drill mode's crew phones (issue 14 item 3): for a drill fire (POST /api/drills/:id/start,
 * then verified and crews dispatched on the command page), drives every crew sent to it and
 * not yet there with simulated GPS through the real position endpoint
 * (POST /api/crews/:id/positions), so the server records each arrival as it would a phone's.
 * Each crew moves from its last position (its base when it sent none) straight to the fire
 * at the speed that arrives at the reach engine's ETA (--speed-kmh without one); a fix every
 * --every seconds. --speedup N sends them N times faster (the recorded arrival is then not the
 * travel time). It refuses an incident that is not a drill: it never moves a crew on a real
 * fire. Signs in as --username (county command: it speaks for every crew) with the password
 * read from stdin. Prints one line per arrival; failures go to stderr with exit code 2.
 */
import { cliFail, parseCli } from './cli-args.ts';
import { simulatedTrack, speedFor, type TrackFix } from './drill-track.ts';

const fail: (message: string) => never = cliFail('drill:simulate');

const args = parseCli(fail, {
  server: { type: 'string', default: 'http://127.0.0.1:3000' },
  incident: { type: 'string' },
  username: { type: 'string' },
  every: { type: 'string', default: '5' },
  'speed-kmh': { type: 'string', default: '30' },
  speedup: { type: 'string', default: '1' },
} as const);

const positive = (name: string, text: string) => {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) fail(`--${name} must be a number > 0`);
  return v;
};
const incidentId = args.incident ?? fail('--incident UUID is required');
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(incidentId))
  fail('--incident must be a UUID');
const username = args.username ?? fail('--username is required (the password is read from stdin)');
const everyS = positive('every', args.every);
const fallbackMs = positive('speed-kmh', args['speed-kmh']) / 3.6;
const speedup = positive('speedup', args.speedup);
const server = args.server.replace(/\/$/, '');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]?.trim() ?? '';
}

let token = '';
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) fail(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const password = await readStdin();
if (!password) fail('no password on stdin');
token = (
  await call<{ token: string }>('POST', '/api/auth/login', { username, password, client: 'field' })
).token;

const incident = await call<{ drill: boolean; location: [number, number]; state: string }>(
  'GET',
  `/api/incidents/${incidentId}`,
);
if (!incident.drill)
  fail(`incident ${incidentId} is not a drill: no simulated GPS for a real fire`);

const { dispatches } = await call<{
  dispatches: {
    dispatchId: string;
    crewId: string;
    crewName: string;
    status: string;
    etaSeconds: number | null;
  }[];
}>('GET', `/api/incidents/${incidentId}/dispatches`);
const moving = dispatches.filter((d) => ['ordered', 'acknowledged', 'en_route'].includes(d.status));
if (moving.length === 0) fail('no crew sent to this drill fire is on its way');
const live = await call<{ crews: { id: string; location: [number, number] }[] }>(
  'GET',
  '/api/crews/live',
);

const tracks = moving.map((d) => {
  const from = live.crews.find((c) => c.id === d.crewId)?.location;
  if (!from) fail(`crew ${d.crewId} has no known position`);
  const speed = speedFor(from, incident.location, d.etaSeconds, fallbackMs);
  return { crew: d, fixes: simulatedTrack(from, incident.location, speed, everyS) };
});

// Each phone first accepts its order (接收任务), as a crew leader's thumb would.
for (const d of moving.filter((m) => m.status === 'ordered'))
  await call('POST', `/api/dispatches/${d.dispatchId}/status`, { status: 'acknowledged' });

const start = Date.now();
const drive = async (t: { crew: (typeof moving)[number]; fixes: TrackFix[] }) => {
  for (const f of t.fixes) {
    const due = start + (f.afterS * 1000) / speedup;
    await sleep(Math.max(0, due - Date.now()));
    const { arrived } = await call<{ arrived: boolean }>(
      'POST',
      `/api/crews/${encodeURIComponent(t.crew.crewId)}/positions`,
      {
        lon: f.lon,
        lat: f.lat,
        accuracyM: 10,
        recordedAt: new Date().toISOString(),
        speedMs: f.speedMs,
        headingDeg: f.headingDeg,
      },
    );
    if (arrived) {
      process.stdout.write(
        `${t.crew.crewId} ${t.crew.crewName} arrived after ${Math.round((Date.now() - start) / 1000)} s\n`,
      );
      return;
    }
  }
};
await Promise.all(tracks.map(drive));
