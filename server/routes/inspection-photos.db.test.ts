/**
 * Inspection photos (issue 14 item 2): taken in through the report photos' intake (streamed,
 * stored by content), added by the inspection's recorders and its township's commanders,
 * read by the inspection's readers; bad uploads refused whole, naming the field, with nothing
 * written.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { multipartBody, ONE_PIXEL_PNG } from '../testing/multipart.ts';
import { testBackend } from '../testing/test-database.ts';

const MAX_BYTES = 4096;
let app: App;
let database: Database;
let api: ReturnType<typeof requestsAs>;
let dataDir = '';
let inspection = '';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fire-inspection-photos-'));
  const demo = await openSmallApp({ dataDir, maxPhotoBytes: MAX_BYTES, bodyLimitBytes: 1_048_576 });
  ({ app, database } = demo);
  api = requestsAs(app, demo.tokens);
  const res = await api.post('/api/inspections', 'supervisor', {
    kind: 'inspection_group',
    inspector: '县督查组',
    townshipCode: '431226106',
    findings: '防火通道被柴堆堵塞',
  });
  expect(res.statusCode, res.body).toBe(201);
  inspection = res.json().id;
}, 120_000);
afterAll(async () => {
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A PNG (by its magic bytes) of `size` bytes, different every time. */
const png = (size = 200) =>
  Buffer.concat([ONE_PIXEL_PNG, crypto.randomBytes(size - ONE_PIXEL_PNG.length)]);

const upload = (who: string, files: Buffer[], id = inspection, extra: { name: string }[] = []) => {
  const body = multipartBody([
    ...files.map((value, i) => ({
      name: 'photos',
      value,
      filename: `p${i}.png`,
      type: 'image/png',
    })),
    ...extra.map((e) => ({ name: e.name, value: 'x' })),
  ]);
  return app.inject({
    method: 'POST',
    url: `/api/inspections/${id}/photos`,
    headers: { ...api.as(who), ...body.headers },
    payload: body.payload,
  });
};

const rows = async () =>
  Number(
    (await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM inspection_photos`))[0]
      ?.n,
  );
const incoming = () => {
  const dir = path.join(dataDir, 'photos', 'incoming');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe(`inspection photos on the ${testBackend()} backend`, () => {
  it("stores a township commander's photos once each and lets the inspection's readers see them", async () => {
    const [a, b] = [png(), png()];
    const res = await upload('twp-gaocun', [a as Buffer, b as Buffer]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().photos).toEqual([{ stored: true }, { stored: true }]);
    const photos = res.json().inspection.photos as { id: number; sizeBytes: number }[];
    expect(photos.map((p) => p.sizeBytes)).toEqual([200, 200]);
    // The same photo again is not stored twice.
    const again = await upload('supervisor', [a as Buffer]);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().inspection.photos).toHaveLength(2);
    expect(await rows()).toBe(2);
    // Listed with the inspection; the bytes come back to its readers only.
    const list = (await api.get('/api/inspections?township=431226106', 'zone-gaocun')).json();
    expect(list.find((i: { id: string }) => i.id === inspection).photos).toHaveLength(2);
    const url = `/api/inspection-photos/${photos[0]?.id}`;
    const read = await api.get(url, 'zone-gaocun');
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(read.rawPayload, a as Buffer)).toBe(0);
    expect((await api.get(url, 'twp-lanli')).statusCode).toBe(403);
    expect((await api.get(url, 'ranger')).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await api.get('/api/inspection-photos/999999', 'county')).statusCode).toBe(404);
    expect(incoming()).toEqual([]);
  });

  it('refuses another township, bad uploads and unknown inspections, naming the field and writing nothing', async () => {
    const before = await rows();
    const refused = await upload('twp-lanli', [png()]);
    expect([refused.statusCode, refused.json().field]).toEqual([403, 'role']);
    const notImage = await upload('supervisor', [png(), Buffer.from('GIF89a not a png at all')]);
    expect([notImage.statusCode, notImage.json().field]).toEqual([415, 'photos']);
    const tooLarge = await upload('supervisor', [png(MAX_BYTES + 100)]);
    expect([tooLarge.statusCode, tooLarge.json().field]).toEqual([413, 'photos']);
    const none = await upload('supervisor', []);
    expect([none.statusCode, none.json().field]).toEqual([400, 'photos']);
    const stray = await upload('supervisor', [png()], inspection, [{ name: 'note' }]);
    expect([stray.statusCode, stray.json().field]).toEqual([400, 'note']);
    const json = await api.post(`/api/inspections/${inspection}/photos`, 'supervisor', {
      photos: [],
    });
    expect([json.statusCode, json.json().field]).toEqual([400, 'photos']);
    const unknown = await upload('supervisor', [png()], crypto.randomUUID());
    expect([unknown.statusCode, unknown.json().field]).toEqual([404, 'id']);
    expect(await rows()).toBe(before);
    expect(incoming()).toEqual([]);
    const stored = (
      fs.readdirSync(path.join(dataDir, 'photos'), { recursive: true }) as string[]
    ).filter((f) => f.endsWith('.png'));
    expect(stored).toHaveLength(2);
  });
});
