/**
 * Warnings on the demo county: who may issue them where, CAP 1.2 validated by xmllint against
 * the OASIS schema, polygons closed and written lat,lon, the GB/T 35965.1 identifier, the Atom
 * feed, and the live push heard in the area and not outside it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { WarningView } from '../domain/live-events.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';

const XSD = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../domain/fire-danger/fixtures/cap12.xsd',
);
const GAOCUN = '431226106'; // 高村镇, twp-gaocun's township
const JINHE = '431226101'; // 锦和镇, another war zone

let app: App;
let tokens: Map<string, string>;
let url = '';
const auth = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

beforeAll(async () => {
  ({ app, tokens } = await openSmallApp());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 180_000);
afterAll(async () => {
  await app?.close();
});

async function issue(who: string, payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/warnings', headers: auth(who), payload });
}

/** xmllint's verdict on a document against the CAP 1.2 schema. */
async function xmllint(xml: string): Promise<{ ok: boolean; message: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cap-')), 'alert.xml');
  fs.writeFileSync(file, xml);
  try {
    const { stderr } = await promisify(execFile)('xmllint', ['--noout', '--schema', XSD, file]);
    return { ok: true, message: stderr };
  } catch (err) {
    return { ok: false, message: (err as { stderr: string }).stderr };
  }
}

const tag = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] as string);

describe('POST /api/warnings', () => {
  it('the township commander warns his own township, not another; a viewer cannot; no sign-in is 401', async () => {
    const body = { level: 'orange', body: '未来三天森林火险等级高', expiresAt: inDays(2) };
    expect((await issue('twp-gaocun', { ...body, townshipCodes: [GAOCUN] })).statusCode).toBe(201);
    const other = await issue('twp-gaocun', { ...body, townshipCodes: [GAOCUN, JINHE] });
    expect(other.statusCode).toBe(403);
    expect(other.json().field).toBe('townshipCodes');
    expect((await issue('viewer', { ...body, townshipCodes: [GAOCUN] })).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/warnings',
          payload: { ...body, townshipCodes: [GAOCUN] },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('refuses a missing or double area, an open ring, a validity that ends before it starts — naming the field', async () => {
    const base = { level: 'yellow', body: '注意防火', expiresAt: inDays(1) };
    const cases: [Record<string, unknown>, string][] = [
      [base, 'townshipCodes'],
      [
        {
          ...base,
          townshipCodes: [GAOCUN],
          polygon: {
            type: 'Polygon',
            coordinates: [
              [
                [109.8, 27.8],
                [109.9, 27.8],
                [109.9, 27.9],
                [109.8, 27.8],
              ],
            ],
          },
        },
        'townshipCodes',
      ],
      [
        {
          ...base,
          polygon: {
            type: 'Polygon',
            coordinates: [
              [
                [109.8, 27.8],
                [109.9, 27.8],
                [109.9, 27.9],
                [109.8, 27.9],
              ],
            ],
          },
        },
        'polygon.coordinates',
      ],
      [{ ...base, townshipCodes: [GAOCUN], onsetAt: inDays(2) }, 'expiresAt'],
      [{ ...base, townshipCodes: ['431226999'] }, 'townshipCodes'],
      [{ ...base, level: 'purple', townshipCodes: [GAOCUN] }, 'level'],
    ];
    for (const [payload, field] of cases) {
      const res = await issue('county', payload);
      expect([400, 422], res.body).toContain(res.statusCode);
      expect(res.json().field, JSON.stringify(payload)).toBe(field);
    }
  });
});

describe('CAP 1.2', () => {
  it('validates against the OASIS schema; category Fire; +08:00 times; GB/T 35965.1 identifier from 431226', async () => {
    const res = await issue('county', {
      level: 'red',
      title: '森林火险红色预警 <极高> & "特护期"',
      body: '受持续晴热少雨影响，未来三天森林火险等级极高。',
      measures: '严禁一切野外用火；扑火队伍24小时备勤。',
      townshipCodes: [GAOCUN, JINHE],
      expiresAt: inDays(3),
    });
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json() as WarningView;
    expect(w.identifier).toMatch(/^431226\d{8}_\d{14}_\d$/);
    // The identifier's time is the entry time in Beijing time.
    const beijing = new Date(Date.parse(w.issuedAt) + 8 * 3600_000)
      .toISOString()
      .slice(0, 19)
      .replace(/[-T:]/g, '');
    expect(w.identifier.split('_')[1]).toBe(beijing);
    const cap = await app.inject({ url: `/api/warnings/${w.id}/cap.xml` });
    expect(cap.statusCode).toBe(200);
    expect(cap.headers['content-type']).toContain('application/cap+xml');
    const xml = cap.body;
    const verdict = await xmllint(xml);
    expect(verdict.ok, verdict.message).toBe(true);
    expect(verdict.message).toContain('validates');
    expect(tag(xml, 'category')).toEqual(['Fire']);
    expect(tag(xml, 'identifier')).toEqual([w.identifier]);
    expect(tag(xml, 'severity')).toEqual(['Extreme']);
    for (const t of ['sent', 'effective', 'onset', 'expires'])
      for (const v of tag(xml, t))
        expect(v, t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(tag(xml, 'value')).toEqual(expect.arrayContaining([GAOCUN, JINHE]));
    expect(xml).toContain('&lt;极高&gt; &amp; "特护期"');
    const polygons = tag(xml, 'polygon');
    expect(polygons.length).toBeGreaterThan(0);
    for (const p of polygons) {
      const pairs = p.split(' ');
      expect(pairs.length).toBeGreaterThanOrEqual(4);
      expect(pairs[0]).toBe(pairs[pairs.length - 1]);
      for (const pair of pairs) {
        const [lat, lon] = pair.split(',').map(Number);
        // Mayang lies at 27.6–28.1 N, 109.4–110.0 E: latitude first.
        expect(lat).toBeGreaterThan(27.4);
        expect(lat).toBeLessThan(28.3);
        expect(lon).toBeGreaterThan(109.2);
        expect(lon).toBeLessThan(110.2);
      }
    }
  });

  it('a drawn area keeps its points, written lat,lon and closed, and names the townships it touches', async () => {
    const ring = [
      [109.79, 27.86],
      [109.82, 27.86],
      [109.82, 27.88],
      [109.79, 27.88],
      [109.79, 27.86],
    ];
    const res = await issue('county', {
      level: 'yellow',
      body: '重点林区',
      polygon: { type: 'Polygon', coordinates: [ring] },
      expiresAt: inDays(1),
    });
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json() as WarningView;
    expect(w.townshipCodes).toContain(GAOCUN);
    const xml = (await app.inject({ url: `/api/warnings/${w.id}/cap.xml` })).body;
    expect((await xmllint(xml)).ok).toBe(true);
    expect(tag(xml, 'polygon')).toEqual([
      '27.86000,109.79000 27.86000,109.82000 27.88000,109.82000 27.88000,109.79000 27.86000,109.79000',
    ]);
  });

  it('an unknown warning is a 404', async () => {
    expect(
      (await app.inject({ url: '/api/warnings/00000000-0000-4000-8000-000000000000/cap.xml' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('lists and the Atom feed', () => {
  it('GET /api/warnings?township lists those covering it; the feed links every active one to its CAP', async () => {
    const jinhe = (
      await app.inject({ url: `/api/warnings?township=${JINHE}` })
    ).json() as WarningView[];
    expect(jinhe.length).toBeGreaterThan(0);
    for (const w of jinhe) expect(w.townshipCodes).toContain(JINHE);
    const all = (await app.inject({ url: '/api/warnings' })).json() as WarningView[];
    const atom = await app.inject({ url: '/api/warnings.atom' });
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    expect(atom.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    for (const w of all) expect(atom.body).toContain(`/api/warnings/${w.id}/cap.xml`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atom-')), 'feed.xml');
    fs.writeFileSync(file, atom.body);
    await promisify(execFile)('xmllint', ['--noout', file]); // well-formed
  });
});

describe('live push', () => {
  it('a page following 高村镇 hears a warning for 高村镇; one following 锦和镇 does not', async () => {
    const heard = { gaocun: [] as WarningView[], jinhe: [] as WarningView[] };
    const sockets = (['gaocun', 'jinhe'] as const).map((k) => {
      const s = connect(url, {
        auth: { lastSeq: 0, scope: { kind: 'township', code: k === 'gaocun' ? GAOCUN : JINHE } },
        transports: ['websocket'],
        reconnection: false,
      });
      s.on('warning:issued', (w: WarningView) => heard[k].push(w));
      return new Promise<typeof s>((resolve) => s.on('replay:done', () => resolve(s)));
    });
    const [a, b] = await Promise.all(sockets);
    const res = await issue('twp-gaocun', {
      level: 'orange',
      body: '高村镇橙色预警',
      townshipCodes: [GAOCUN],
      expiresAt: inDays(1),
    });
    const id = res.json().id;
    for (let i = 0; i < 100 && heard.gaocun.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    // The same push went to both rooms at once; give the other one as long again.
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.gaocun.map((w) => w.id)).toEqual([id]);
    expect(heard.jinhe).toEqual([]);
    a?.disconnect();
    b?.disconnect();
  });
});
