/**
 * Every endpoint × every role (and no sign-in), on the small county (testing/factories.ts):
 * who is let through and who gets 401/403. "Let through" means any answer other than 401/403
 * — the request may still be a 409 (wrong state) or 404, which is the endpoint's business,
 * not access. Every POST and GET route the app registers must be in a table, so a new
 * endpoint cannot skip the matrix. Reads open to everyone are checked field by field where
 * what they show depends on who asks (an incident's detail, roster phones).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { DEMO_USERS } from '../geodata/demo-users.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { newLookout, newWaterSource, SMALL_COUNTY, TEST_PASSWORD } from '../testing/factories.ts';
import { multipartBody, ONE_PIXEL_PNG } from '../testing/multipart.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
const tokens = new Map<string, string>();
let incident = '';
/** The UUID the lookout's phone made for its report (its receipt's key). */
let reportUuid = '';
let dispatchId = '';
let photoId = 0;
/** An inspection in 高村镇 with a finding to put right, and a drill there. */
let inspectionId = '';
let drillId = '';
/** A grid in the village head's own village (his roster phones are his to see). */
let villageGrid = '';
/** 高村战区, whose figures everyone may read. */
let gaocunZone = 0;
/** A warning in force (its CAP is read by everyone). */
let warningId = '';
/** A second fire in 高村镇 raised to county by its township commander: an alert for the county. */
let alertSeq = 0;

beforeAll(async () => {
  const small = await openSmallApp({}, { rateClock: fixedRateClock });
  ({ database, app } = small);
  for (const [user, token] of small.tokens) tokens.set(user, token);
  // The small county's users are the demo users' roles under their names: one of each.
  expect([...tokens.keys()].sort()).toEqual(DEMO_USERS.map((u) => u.username).sort());
  const gaocun = small.county.townships.gaocun;
  gaocunZone = gaocun.warZoneId;
  // The village head's village is 高村镇's first; its first grid.
  villageGrid = gaocun.grids[0] as string;
  // A lookout tower and a water source in 高村镇, for their cards and the tower's viewshed.
  await newLookout(database, { id: 'LO-001', at: [109.79, 27.88], townshipCode: gaocun.code });
  await newWaterSource(database, { id: 'WS-R001', at: [109.81, 27.86], townshipCode: gaocun.code });
  // A confirmed fire in 高村镇 with the township crew dispatched to it.
  const county = { authorization: `Bearer ${tokens.get('county')}` };
  const lookout = { authorization: `Bearer ${tokens.get('lookout')}` };
  reportUuid = crypto.randomUUID();
  const report = await app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: lookout,
    payload: {
      clientUuid: reportUuid,
      source: 'lookout',
      position: { lon: 109.805, lat: 27.87 },
      observedAt: new Date().toISOString(),
    },
  });
  incident = report.json().incidentId;
  for (const to of ['verifying', 'confirmed'])
    await app.inject({
      method: 'POST',
      url: `/api/incidents/${incident}/transitions`,
      headers: county,
      payload: { to },
    });
  const d = await app.inject({
    method: 'POST',
    url: `/api/incidents/${incident}/dispatches`,
    headers: county,
    payload: { crewIds: ['CR-T106'] },
  });
  dispatchId = d.json().dispatchIds[0];
  // A lookout's photo of the same fire.
  const photoBody = multipartBody([
    {
      name: 'report',
      value: JSON.stringify({
        clientUuid: crypto.randomUUID(),
        source: 'lookout',
        position: { lon: 109.8052, lat: 27.8702 },
        observedAt: new Date().toISOString(),
      }),
    },
    { name: 'photos', value: ONE_PIXEL_PNG, filename: 'smoke.png', type: 'image/png' },
  ]);
  const photo = await app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: photoBody.payload,
    headers: { ...photoBody.headers, ...lookout },
  });
  expect(photo.json().incidentId).toBe(incident);
  const detail = await app.inject({
    method: 'GET',
    url: `/api/incidents/${incident}`,
    headers: county,
  });
  photoId = detail
    .json()
    .reports.flatMap((r: { photos: { id: number }[] }) => r.photos)
    .map((p: { id: number }) => p.id)[0];
  const inspection = await app.inject({
    method: 'POST',
    url: '/api/inspections',
    headers: { authorization: `Bearer ${tokens.get('supervisor')}` },
    payload: {
      kind: 'inspection_group',
      inspector: '县督查组',
      townshipCode: gaocun.code,
      findings: '检查站无人',
    },
  });
  inspectionId = inspection.json().id;
  const drill = await app.inject({
    method: 'POST',
    url: '/api/drills',
    headers: county,
    payload: { title: '演练', heldOn: '2026-03-20', townshipCode: '431226106', participants: 30 },
  });
  drillId = drill.json().id;
  const w = await app.inject({
    method: 'POST',
    url: '/api/warnings',
    headers: county,
    payload: {
      level: 'orange',
      body: '森林火险等级高',
      townshipCodes: ['431226106'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  warningId = w.json().id;
  const second = await app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: lookout,
    payload: {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: { lon: 109.78, lat: 27.87 },
      observedAt: new Date().toISOString(),
    },
  });
  const raised = await app.inject({
    method: 'POST',
    url: `/api/incidents/${second.json().incidentId}/escalations`,
    headers: { authorization: `Bearer ${tokens.get('twp-gaocun')}` },
    payload: { level: 'county', reason: '需要战区联动' },
  });
  alertSeq = raised.json().seq;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** Every /api and /ogc route of a method, read from Fastify's route tree (one node per line). */
function routesOf(app: App, method: 'GET' | 'POST'): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of app.printRoutes({ method, commonPrefix: false }).split('\n')) {
    const m = line.match(/^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2];
    stack.push(path);
    const ours = path.startsWith('/api/') || path === '/ogc' || path.startsWith('/ogc/');
    if (m[3]?.split(', ').includes(method) && ours) out.push(path);
  }
  return out;
}

type Who = (typeof DEMO_USERS)[number]['username'] | 'anonymous';
const EVERYONE: Who[] = [...DEMO_USERS.map((u) => u.username), 'anonymous'];

interface Row {
  route: string;
  request: () => { url: string; payload: Record<string, unknown> };
  /** Who gets through; everyone else 403 (or 401 when not signed in). */
  allowed: Who[];
}

const uuid = () => crypto.randomUUID();
const TABLE: Row[] = [
  {
    route: '/api/auth/login',
    // A new unknown name each time: five wrong tries of one name from one address are a 429.
    request: () => ({
      url: '/api/auth/login',
      payload: { username: `nobody${uuid().slice(0, 8)}`, password: 'x' },
    }),
    // Anyone may try; wrong credentials are a 401 of their own, checked in the sign-in tests.
    allowed: [],
  },
  {
    route: '/api/auth/logout',
    request: () => ({ url: '/api/auth/logout', payload: {} }),
    allowed: EVERYONE,
  },
  {
    route: '/api/auth/logout-everywhere',
    request: () => ({ url: '/api/auth/logout-everywhere', payload: {} }),
    allowed: EVERYONE.filter((w) => w !== 'anonymous'),
  },
  {
    route: '/api/auth/unlock',
    request: () => ({ url: '/api/auth/unlock', payload: { username: 'viewer' } }),
    allowed: ['county'],
  },
  {
    route: '/api/reports',
    request: () => ({
      url: '/api/reports',
      payload: {
        clientUuid: uuid(),
        source: 'public',
        position: { lon: 109.9 + Math.random() * 0.01, lat: 27.95 },
        observedAt: new Date().toISOString(),
      },
    }),
    allowed: EVERYONE,
  },
  {
    route: '/api/incidents/:id/transitions',
    request: () => ({
      url: `/api/incidents/${incident}/transitions`,
      payload: { to: 'verifying' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'village', 'lookout'],
  },
  {
    route: '/api/incidents/:id/dispatches',
    request: () => ({
      url: `/api/incidents/${incident}/dispatches`,
      payload: { crewIds: ['CR-T106'] },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/incidents/:id/escalations',
    request: () => ({
      url: `/api/incidents/${incident}/escalations`,
      payload: { level: 'township', reason: '蔓延' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'village'],
  },
  {
    // The county level acknowledges a raise to county: the county centre and the war zone's
    // commander (the first acknowledges it, the second hears 409: both let through).
    route: '/api/alerts/:seq/acknowledgement',
    request: () => ({ url: `/api/alerts/${alertSeq}/acknowledgement`, payload: {} }),
    allowed: ['county', 'zone-gaocun'],
  },
  {
    route: '/api/incidents/:id/command-post',
    request: () => ({
      url: `/api/incidents/${incident}/command-post`,
      payload: { name: '前指', lon: 109.803, lat: 27.869 },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/incidents/:id/orders',
    request: () => ({
      url: `/api/incidents/${incident}/orders`,
      payload: { text: '沿防火线阻截' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/dispatches/:id/status',
    request: () => ({
      url: `/api/dispatches/${dispatchId}/status`,
      payload: { status: 'acknowledged' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'crew-gaocun'],
  },
  {
    route: '/api/crews/:id/positions',
    request: () => ({
      url: '/api/crews/CR-T106/positions',
      payload: { lon: 109.79, lat: 27.86, accuracyM: 9, recordedAt: new Date().toISOString() },
    }),
    allowed: ['county', 'crew-gaocun'],
  },
  {
    route: '/api/cameras',
    request: () => ({
      url: '/api/cameras',
      payload: {
        id: `CAM-${uuid()}`,
        name: '测试',
        lon: 109.8,
        lat: 27.87,
        heightM: 30,
        headingDeg: 0,
      },
    }),
    allowed: ['county'],
  },
  {
    route: '/api/bearing-fix',
    request: () => ({
      url: '/api/bearing-fix',
      payload: {
        bearings: [
          { lon: 109.7, lat: 27.8, azimuthDeg: 45 },
          { lon: 109.8, lat: 27.8, azimuthDeg: 315 },
        ],
      },
    }),
    allowed: EVERYONE,
  },
  {
    route: '/api/cameras/:id/alarms',
    request: () => ({
      url: '/api/cameras/CAM-NONE/alarms',
      payload: { observedAt: new Date().toISOString(), bearingDeg: 90 },
    }),
    // A camera's device key, not a user's session, lets an alarm in: 401 for every user.
    allowed: [],
  },
  {
    route: '/api/weather/observations',
    request: () => ({
      url: '/api/weather/observations',
      payload: {
        rows: [
          {
            townshipCode: '431226106',
            date: '2026-01-01',
            tmaxC: 10,
            rh14Pct: 60,
            windMs: 2,
            rainMm: 0,
          },
        ],
      },
    }),
    allowed: ['county'],
  },
  {
    route: '/api/weather/forecasts',
    request: () => ({ url: '/api/weather/forecasts', payload: { rows: [] } }),
    allowed: ['county'],
  },
  {
    route: '/api/warnings',
    request: () => ({
      url: '/api/warnings',
      payload: {
        level: 'yellow',
        body: '注意防火',
        townshipCodes: ['431226106'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
    // 高村镇: the county command and its own township commander.
    allowed: ['county', 'twp-gaocun'],
  },
  {
    route: '/api/crews/:id/orders/:orderId/read',
    request: () => ({ url: `/api/crews/CR-T106/orders/${uuid()}/read`, payload: {} }),
    allowed: ['crew-gaocun'],
  },
  {
    route: '/api/flags/annotations',
    request: () => ({
      url: '/api/flags/annotations',
      payload: { month: '2026-06', level: 'township', code: '431226106', note: '已核实' },
    }),
    allowed: ['supervisor'],
  },
  {
    route: '/api/protection-periods',
    request: () => ({
      url: '/api/protection-periods',
      payload: {
        title: '特护期',
        startsAt: '2026-03-01T00:00:00+08:00',
        endsAt: '2026-04-01T00:00:00+08:00',
      },
    }),
    allowed: ['county'],
  },
  {
    route: '/api/inspections',
    request: () => ({
      url: '/api/inspections',
      payload: { kind: 'command_hq', inspector: '值班组', townshipCode: '431226106' },
    }),
    allowed: ['county', 'supervisor'],
  },
  {
    route: '/api/inspections/:id/rectification',
    request: () => ({
      url: `/api/inspections/${inspectionId}/rectification`,
      payload: { note: '已整改' },
    }),
    // The first let through closes it; the others get 409, which is not access.
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'supervisor'],
  },
  {
    route: '/api/inspections/:id/photos',
    // Not multipart: 400 once let through (the upload itself: inspection-photos.db.test.ts).
    request: () => ({ url: `/api/inspections/${inspectionId}/photos`, payload: {} }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'supervisor'],
  },
  {
    route: '/api/drills',
    request: () => ({
      url: '/api/drills',
      payload: { title: '演练', heldOn: '2026-03-20', townshipCode: '431226106', participants: 30 },
    }),
    allowed: ['county', 'twp-gaocun'],
  },
  {
    route: '/api/drills/:id/incidents',
    // An incident that does not exist: 404 once let through.
    request: () => ({ url: `/api/drills/${drillId}/incidents`, payload: { incidentId: uuid() } }),
    // Never the township whose flag it would change.
    allowed: ['county', 'supervisor'],
  },
  {
    route: '/api/drills/:id/start',
    // A position outside the county: 422 once let through, so no drill fire is left behind.
    request: () => ({
      url: `/api/drills/${drillId}/start`,
      payload: {
        clientUuid: uuid(),
        position: { lon: 100, lat: 20 },
        observedAt: new Date().toISOString(),
      },
    }),
    allowed: ['county', 'twp-gaocun'],
  },
  {
    route: '/api/trainings',
    request: () => ({
      url: '/api/trainings',
      payload: {
        title: '培训',
        heldOn: '2026-03-20',
        townshipCode: '431226106',
        audience: '护林员',
        personTimes: 40,
      },
    }),
    allowed: ['county', 'supervisor', 'twp-gaocun'],
  },
  {
    route: '/api/publicity',
    request: () => ({
      url: '/api/publicity',
      payload: {
        villageCode: villageGrid.slice(0, 12),
        recordedOn: '2026-03-20',
        channel: '入户',
        householdsTotal: 50,
        householdsVisited: 40,
        pledgesSigned: 30,
      },
    }),
    allowed: ['county', 'supervisor', 'twp-gaocun', 'village'],
  },
];

describe(`access matrix on the ${testBackend()} backend`, () => {
  it('has every POST route of the app in its table', () => {
    const routes = routesOf(app, 'POST');
    expect(routes.length).toBeGreaterThanOrEqual(TABLE.length);
    expect(new Set(routes)).toEqual(new Set(TABLE.map((r) => r.route)));
  });

  for (const row of TABLE)
    it(`${row.route}: ${row.allowed.length === EVERYONE.length ? 'everyone' : row.allowed.join(', ') || 'anyone may try'}`, async () => {
      for (const who of EVERYONE) {
        const { url, payload } = row.request();
        const res = await app.inject({
          method: 'POST',
          url,
          payload,
          headers: who === 'anonymous' ? {} : { authorization: `Bearer ${tokens.get(who)}` },
        });
        if (row.route === '/api/auth/login' || row.route === '/api/cameras/:id/alarms') {
          expect(res.statusCode, who).toBe(401);
          continue;
        }
        const denied = who === 'anonymous' ? 401 : 403;
        if (row.allowed.includes(who))
          expect([401, 403], `${who} → ${res.statusCode} ${res.body}`).not.toContain(
            res.statusCode,
          );
        else expect(res.statusCode, `${who} → ${res.body}`).toBe(denied);
        // Logging out ends the session: sign in again for the next rows.
        if (row.route.startsWith('/api/auth/logout') && who !== 'anonymous') {
          const again = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: who, password: TEST_PASSWORD, client: 'field' },
          });
          tokens.set(who, again.json().token);
        }
      }
    });
});

/** Readers of the fire's detail: it is in 高村镇 and CR-T106 was sent to it. */
const INCIDENT_READERS: Who[] = [
  'county',
  'zone-gaocun',
  'twp-gaocun',
  'village',
  'lookout',
  'supervisor',
  'viewer',
  'crew-gaocun',
];
const CREW_FOLLOWERS: Who[] = [
  'county',
  'zone-gaocun',
  'twp-gaocun',
  'twp-lanli',
  'supervisor',
  'viewer',
];

const COUNTY_WIDE: Who[] = ['county', 'supervisor', 'viewer'];

/** The small county's townships (高村镇, 兰里镇, 锦和镇), each in a war zone of its own. */
const TOWNSHIPS = Object.keys(SMALL_COUNTY.townships).length;

/** Inspections and the 321 rhythm: county-wide readers, and commanders for their area. */
const INSPECTION_READERS: Who[] = [
  'county',
  'zone-gaocun',
  'twp-gaocun',
  'twp-lanli',
  'supervisor',
];

/**
 * Flags, their history and notes, assessments (issue 14 item 7): the county command centre
 * and the supervision office whole, township and war-zone commanders their own area.
 */
const SUPERVISION_FIGURE_READERS: Who[] = INSPECTION_READERS;

interface ReadRow {
  route: string;
  url: () => string;
  /** Who is let through; 'everyone' includes no sign-in. */
  allowed: Who[] | 'everyone';
  /** The answer to those let through, when it is not 200. */
  status?: number;
  /** For reads open to everyone whose content depends on the reader: who sees the whole. */
  whole?: { who: Who[]; sees: (body: Record<string, unknown>) => boolean };
}

const phonesVisible = (body: Record<string, unknown>) => {
  const phones = (body.roster as { phone: string | null }[]).map((p) => p.phone ?? '');
  expect(phones.length).toBeGreaterThan(0);
  return phones.every((p) => !p.includes('*'));
};

const READS: ReadRow[] = [
  { route: '/api/health', url: () => '/api/health', allowed: 'everyone' },
  { route: '/api/openapi.json', url: () => '/api/openapi.json', allowed: 'everyone' },
  { route: '/api/auth/me', url: () => '/api/auth/me', allowed: 'everyone' },
  { route: '/api/county', url: () => '/api/county', allowed: 'everyone' },
  { route: '/api/counties', url: () => '/api/counties', allowed: 'everyone' },
  { route: '/api/style.json', url: () => '/api/style.json', allowed: 'everyone' },
  {
    route: '/api/tiles/county/:z/:x/:y.pbf',
    url: () => '/api/tiles/county/10/824/429.pbf',
    allowed: 'everyone',
  },
  // The small county's DEM (~550 m cells) has terrain and relief tiles up to zoom 9.
  {
    route: '/api/tiles/terrain/:z/:x/:y.png',
    url: () => '/api/tiles/terrain/9/412/214.png',
    allowed: 'everyone',
  },
  {
    route: '/api/tiles/relief/:z/:x/:y.png',
    url: () => '/api/tiles/relief/9/412/214.png',
    allowed: 'everyone',
  },
  { route: '/api/war-zones', url: () => '/api/war-zones', allowed: 'everyone' },
  {
    route: '/api/war-zones/:id/stats',
    url: () => `/api/war-zones/${gaocunZone}/stats`,
    allowed: 'everyone',
  },
  {
    route: '/api/townships/:code/stats',
    url: () => '/api/townships/431226106/stats',
    allowed: 'everyone',
  },
  {
    route: '/api/search',
    url: () => `/api/search?q=${encodeURIComponent('高村')}`,
    allowed: 'everyone',
  },
  {
    route: '/api/places/at',
    url: () => '/api/places/at?lon=109.805&lat=27.87',
    allowed: 'everyone',
  },
  { route: '/api/lookouts/:id', url: () => '/api/lookouts/LO-001', allowed: 'everyone' },
  { route: '/api/water-sources/:id', url: () => '/api/water-sources/WS-R001', allowed: 'everyone' },
  { route: '/api/reach', url: () => '/api/reach?lon=109.805&lat=27.87', allowed: 'everyone' },
  { route: '/api/reach/coverage', url: () => '/api/reach/coverage', allowed: 'everyone' },
  { route: '/api/reach/network', url: () => '/api/reach/network', allowed: 'everyone' },
  { route: '/api/reach/dem.tif', url: () => '/api/reach/dem.tif', allowed: 'everyone' },
  { route: '/api/lookouts/coverage', url: () => '/api/lookouts/coverage', allowed: 'everyone' },
  {
    route: '/api/lookouts/:id/viewshed',
    url: () => '/api/lookouts/LO-001/viewshed',
    allowed: 'everyone',
  },
  { route: '/api/cameras', url: () => '/api/cameras', allowed: 'everyone' },
  {
    route: '/api/camera-alarms/queue',
    url: () => '/api/camera-alarms/queue',
    // Every user may ask; each sees only the alarms he may confirm or dismiss.
    allowed: EVERYONE.filter((w) => w !== 'anonymous'),
  },
  {
    route: '/api/camera-alarms/rates',
    url: () => '/api/camera-alarms/rates',
    // The commanders and county-wide readers (as for crews' positions), and lookout operators.
    allowed: [...CREW_FOLLOWERS, 'lookout'],
  },
  {
    route: '/api/lookouts/coverage.png',
    url: () => '/api/lookouts/coverage.png',
    allowed: 'everyone',
  },
  // Fire spread is for the people who command and dispatch: any signed-in user, not the public.
  {
    route: '/api/spread',
    url: () => '/api/spread?lon=109.97069&lat=27.948616&minutes=30&windMs=4&windFromDeg=270',
    allowed: DEMO_USERS.map((u) => u.username),
  },
  { route: '/api/incidents', url: () => '/api/incidents', allowed: 'everyone' },
  { route: '/api/situation', url: () => '/api/situation', allowed: 'everyone' },
  // Each signed-in user's own badge (empty for those no alert is for).
  { route: '/api/alerts', url: () => '/api/alerts', allowed: DEMO_USERS.map((u) => u.username) },
  {
    route: '/api/grids/:code',
    url: () => `/api/grids/${villageGrid}`,
    allowed: 'everyone',
    whole: { who: ['county', 'zone-gaocun', 'twp-gaocun', 'village'], sees: phonesVisible },
  },
  // Crew cards mask phones by role (phone-visibility tests); the small county's crews list none.
  { route: '/api/crews/:id', url: () => '/api/crews/CR-T106', allowed: 'everyone' },
  {
    route: '/api/incidents/:id',
    url: () => `/api/incidents/${incident}`,
    allowed: 'everyone',
    whole: {
      who: INCIDENT_READERS,
      sees: (b) => {
        if (b.restricted === true) {
          expect(b).not.toHaveProperty('reports');
          expect(b).not.toHaveProperty('timeline');
          return false;
        }
        return b.restricted === false && Array.isArray(b.reports) && Array.isArray(b.timeline);
      },
    },
  },
  { route: '/api/photos/:id', url: () => `/api/photos/${photoId}`, allowed: INCIDENT_READERS },
  {
    route: '/api/incidents/:id/dispatches',
    url: () => `/api/incidents/${incident}/dispatches`,
    allowed: INCIDENT_READERS,
  },
  {
    route: '/api/incidents/:id/bearing-fix',
    url: () => `/api/incidents/${incident}/bearing-fix`,
    allowed: INCIDENT_READERS,
  },
  {
    // The phone's own UUID asks: anyone who holds it (it is the phone's secret).
    route: '/api/reports/:clientUuid/receipt',
    url: () => `/api/reports/${reportUuid}/receipt`,
    allowed: 'everyone',
  },
  {
    route: '/api/incidents/:id/command',
    url: () => `/api/incidents/${incident}/command`,
    allowed: INCIDENT_READERS,
  },
  {
    route: '/api/incidents/:id/dispatchable',
    url: () => `/api/incidents/${incident}/dispatchable`,
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'twp-lanli'],
  },
  { route: '/api/crews/live', url: () => '/api/crews/live', allowed: CREW_FOLLOWERS },
  {
    route: '/api/crews/:id/track',
    url: () => '/api/crews/CR-T106/track',
    allowed: [...CREW_FOLLOWERS, 'crew-gaocun'],
  },
  {
    route: '/api/crews/:id/dispatch',
    url: () => '/api/crews/CR-T106/dispatch',
    allowed: [...CREW_FOLLOWERS, 'crew-gaocun'],
  },
  {
    route: '/api/crews/:id/orders',
    url: () => '/api/crews/CR-T106/orders',
    allowed: ['crew-gaocun'],
  },
  { route: '/api/weather/stations', url: () => '/api/weather/stations', allowed: 'everyone' },
  { route: '/api/fire-danger', url: () => '/api/fire-danger?level=grid', allowed: 'everyone' },
  { route: '/api/fire-danger/summary', url: () => '/api/fire-danger/summary', allowed: 'everyone' },
  {
    route: '/api/fire-danger/grids/:code',
    url: () => `/api/fire-danger/grids/${villageGrid}`,
    allowed: 'everyone',
  },
  { route: '/api/warnings', url: () => '/api/warnings', allowed: 'everyone' },
  { route: '/api/warnings.atom', url: () => '/api/warnings.atom', allowed: 'everyone' },
  {
    route: '/api/warnings/:id/cap.xml',
    url: () => `/api/warnings/${warningId}/cap.xml`,
    allowed: 'everyone',
  },
  { route: '/api/audit/verify', url: () => '/api/audit/verify', allowed: ['county', 'supervisor'] },
  // OGC API – Features: the public map's layers, open to every client; incidents as the
  // public summary for everyone, signed in or not.
  { route: '/ogc', url: () => '/ogc', allowed: 'everyone' },
  { route: '/ogc/', url: () => '/ogc/', allowed: 'everyone' },
  { route: '/ogc/conformance', url: () => '/ogc/conformance', allowed: 'everyone' },
  { route: '/ogc/api', url: () => '/ogc/api', allowed: 'everyone' },
  { route: '/ogc/collections', url: () => '/ogc/collections', allowed: 'everyone' },
  {
    route: '/ogc/collections/:collectionId',
    url: () => '/ogc/collections/incidents',
    allowed: 'everyone',
  },
  {
    route: '/ogc/collections/:collectionId/items',
    url: () => '/ogc/collections/incidents/items',
    allowed: 'everyone',
    whole: { who: [], sees: (b) => JSON.stringify(b).includes('"reports"') },
  },
  {
    route: '/ogc/collections/:collectionId/items/:featureId',
    url: () => `/ogc/collections/incidents/items/${incident}`,
    allowed: 'everyone',
    whole: {
      who: [],
      sees: (b) => {
        expect(b.id).toBe(incident);
        return Object.keys(b.properties as object).some((k) =>
          /report_?s$|note|timeline|actor/.test(k),
        );
      },
    },
  },
  { route: '/api/audit.csv', url: () => '/api/audit.csv', allowed: ['county', 'supervisor'] },
  {
    route: '/api/flags',
    url: () => '/api/flags?month=2026-06&level=township',
    allowed: SUPERVISION_FIGURE_READERS,
    // The county's readers see every township of the county; a commander his own area's.
    whole: {
      who: ['county', 'supervisor'],
      sees: (body) => (body as unknown as unknown[]).length === TOWNSHIPS,
    },
  },
  {
    route: '/api/flags/history',
    url: () => '/api/flags/history?months=3',
    allowed: SUPERVISION_FIGURE_READERS,
    whole: {
      who: ['county', 'supervisor'],
      sees: (body) => (body.months as { flags: unknown[] }[])[0]?.flags.length === TOWNSHIPS,
    },
  },
  {
    route: '/api/flags/annotations',
    url: () => '/api/flags/annotations?month=2026-06',
    allowed: SUPERVISION_FIGURE_READERS,
  },
  {
    route: '/api/protection-periods',
    url: () => '/api/protection-periods',
    allowed: INSPECTION_READERS,
  },
  { route: '/api/inspections', url: () => '/api/inspections', allowed: INSPECTION_READERS },
  { route: '/api/rhythm', url: () => '/api/rhythm', allowed: INSPECTION_READERS },
  {
    route: '/api/inspection-photos/:id',
    // No such photo: 404 once let through (a photo's own area: inspection-photos.db.test.ts).
    url: () => '/api/inspection-photos/999999',
    allowed: INSPECTION_READERS,
    status: 404,
  },
  {
    route: '/api/drills/:id/report',
    url: () => `/api/drills/${drillId}/report`,
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'supervisor'],
  },
  {
    route: '/api/drills/:id/report.pdf',
    // Not listening under inject: 503 once let through (the PDF: drill-report-pdf.db.test.ts).
    url: () => `/api/drills/${drillId}/report.pdf`,
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'supervisor'],
    status: 503,
  },
  {
    route: '/api/publicity/coverage',
    url: () => '/api/publicity/coverage',
    allowed: [...INSPECTION_READERS, 'village'],
  },
  {
    route: '/api/trainings/summary',
    url: () => '/api/trainings/summary?year=2026',
    allowed: INSPECTION_READERS,
  },
  { route: '/api/trainings', url: () => '/api/trainings?year=2026', allowed: INSPECTION_READERS },
  {
    // The supervision work page's choices: whoever may use one of its forms somewhere (the
    // zone commander puts findings right, a village head records his village's publicity).
    route: '/api/supervision/choices',
    url: () => '/api/supervision/choices',
    allowed: ['county', 'supervisor', 'zone-gaocun', 'twp-gaocun', 'twp-lanli', 'village'],
  },
  {
    route: '/api/villages/:code/combat-map',
    url: () => `/api/villages/${villageGrid.slice(0, 12)}/combat-map`,
    allowed: [...COUNTY_WIDE, 'zone-gaocun', 'twp-gaocun', 'village'],
  },
  {
    route: '/api/villages/:code/combat-map.pdf',
    // Not listening under inject: 503 once let through; the PDF itself is an e2e test.
    url: () => `/api/villages/${villageGrid.slice(0, 12)}/combat-map.pdf`,
    allowed: [...COUNTY_WIDE, 'zone-gaocun', 'twp-gaocun', 'village'],
    status: 503,
  },
  {
    route: '/api/townships/:code/combat-map',
    url: () => '/api/townships/431226106/combat-map',
    allowed: [...COUNTY_WIDE, 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/townships/:code/combat-map.pdf',
    url: () => '/api/townships/431226106/combat-map.pdf',
    allowed: [...COUNTY_WIDE, 'zone-gaocun', 'twp-gaocun'],
    status: 503,
  },
  {
    route: '/api/assessments',
    url: () => '/api/assessments?period=2026-Q2',
    allowed: SUPERVISION_FIGURE_READERS,
    whole: {
      who: ['county', 'supervisor'],
      sees: (body) => (body.townships as unknown[]).length === TOWNSHIPS,
    },
  },
  {
    route: '/api/assessments.xlsx',
    url: () => '/api/assessments.xlsx?period=2026-06',
    allowed: SUPERVISION_FIGURE_READERS,
  },
  {
    route: '/api/assessments/print',
    url: () => '/api/assessments/print?period=2026',
    allowed: SUPERVISION_FIGURE_READERS,
  },
];

describe(`read matrix on the ${testBackend()} backend`, () => {
  it('has every GET route of the API in its table', () => {
    // The API's own documentation pages (/api/docs) are static and public.
    const routes = routesOf(app, 'GET').filter((r) => !r.startsWith('/api/docs'));
    expect(new Set(routes)).toEqual(new Set(READS.map((r) => r.route)));
  });

  for (const row of READS)
    it(`GET ${row.route}: ${row.allowed === 'everyone' ? (row.whole ? `everyone; whole for ${row.whole.who.join(', ') || 'no one'}` : 'everyone') : row.allowed.join(', ')}`, async () => {
      for (const who of EVERYONE) {
        const res = await app.inject({
          method: 'GET',
          url: row.url(),
          headers: who === 'anonymous' ? {} : { authorization: `Bearer ${tokens.get(who)}` },
        });
        if (row.allowed === 'everyone' || row.allowed.includes(who)) {
          expect(res.statusCode, `${who} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(
            row.status ?? 200,
          );
          if (row.whole)
            expect(row.whole.sees(res.json()), `${who} sees the whole`).toBe(
              row.whole.who.includes(who),
            );
        } else {
          expect(res.statusCode, `${who} → ${res.body.slice(0, 200)}`).toBe(
            who === 'anonymous' ? 401 : 403,
          );
        }
      }
    });

  it('lets a ranger read the detail of a fire he reported himself, outside his grid', async () => {
    const ranger = { authorization: `Bearer ${tokens.get('ranger')}` };
    const sent = await app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: ranger,
      payload: {
        clientUuid: crypto.randomUUID(),
        source: 'ranger',
        position: { lon: 109.62, lat: 27.78 },
        observedAt: new Date().toISOString(),
        note: '山脚有烟',
      },
    });
    expect(sent.statusCode).toBe(201);
    const own = await app.inject({
      method: 'GET',
      url: `/api/incidents/${sent.json().incidentId}`,
      headers: ranger,
    });
    expect(own.json().restricted).toBe(false);
    const me = (await app.inject({ method: 'GET', url: '/api/auth/me', headers: ranger })).json();
    // His report carries him; the lookout's reports carry the lookout.
    expect(own.json().reports[0].reporterUserId).toBe(me.user.id);
    const lookoutMe = (
      await app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${tokens.get('lookout')}` },
      })
    ).json();
    const whole = await app.inject({
      method: 'GET',
      url: `/api/incidents/${incident}`,
      headers: { authorization: `Bearer ${tokens.get('county')}` },
    });
    expect(
      whole.json().reports.map((r: { reporterUserId: string | null }) => r.reporterUserId),
    ).toEqual([lookoutMe.user.id, lookoutMe.user.id]);
    expect(own.json().reports.map((r: { note: string }) => r.note)).toContain('山脚有烟');
    const other = await app.inject({
      method: 'GET',
      url: `/api/incidents/${incident}`,
      headers: ranger,
    });
    expect(other.json().restricted).toBe(true);
  });
});
