/**
 * Tower coverage over HTTP on the demo county: computed in a worker from the database's
 * lookouts and grids on the county DEM.
 */
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { openDemoApp } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
beforeAll(async () => {
  ({ app } = await openDemoApp());
});
afterAll(async () => {
  await app?.close();
});

describe(`lookout coverage API on the ${testBackend()} backend`, () => {
  it('gives every grid its shares of forest seen by 0 / 1 / 2+ towers, blind spots and new tower sites', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/lookouts/coverage' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.towers).toBe(110);
    expect(body.grids).toHaveLength(815);
    expect(body.seen0 + body.seen1 + body.seen2).toBeCloseTo(1, 9);
    for (const g of body.grids) {
      expect(g.seen0 + g.seen1 + g.seen2).toBeCloseTo(1, 9);
      // A grid with blind spots has unseen forest at least as large as its patches.
      const patches = g.blindSpots.reduce((a: number, b: { areaHa: number }) => a + b.areaHa, 0);
      expect(patches).toBeLessThanOrEqual(g.seen0 * g.forestHa + 0.5);
    }
    // The county's forest is the grids' area (each grid's forest adds up to the total).
    const sum = body.grids.reduce((a: number, g: { forestHa: number }) => a + g.forestHa, 0);
    expect(sum).toBeCloseTo(body.forestHa, -1);
    expect(body.suggestions).toHaveLength(3);
    const gains = body.suggestions.map((s: { newlySeenHa: number }) => s.newlySeenHa);
    expect(gains[0]).toBeGreaterThan(0);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains); // greedy: each adds less
    const dem = await app.tiles.dem();
    expect(body.bounds).toEqual(dem.bbox);
  });

  it('draws the coverage as a PNG on the DEM’s cells, revalidated by ETag', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/lookouts/coverage.png' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const img = decode(res.rawPayload);
    const dem = await app.tiles.dem();
    expect([img.width, img.height]).toEqual([dem.width, dem.height]);
    const again = await app.inject({
      method: 'GET',
      url: '/api/lookouts/coverage.png',
      headers: { 'if-none-match': res.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });

  it('gives one tower’s viewshed within its range: bounds around the tower, share seen, its image', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/lookouts/LO-001/viewshed' });
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.seenShare).toBeGreaterThan(0);
    expect(v.seenShare).toBeLessThan(1);
    const img = decode(Buffer.from(v.image.split(',')[1], 'base64'));
    // LO-001 stands at 109.755584, 27.717461 with a 5 km range: the image spans ~10 km.
    const [w, s, e, n] = v.bounds;
    expect(w).toBeLessThan(109.755584);
    expect(e).toBeGreaterThan(109.755584);
    expect(s).toBeLessThan(27.717461);
    expect(n).toBeGreaterThan(27.717461);
    expect(img.width).toBeGreaterThan(150);
    const missing = await app.inject({ method: 'GET', url: '/api/lookouts/NOPE/viewshed' });
    expect([missing.statusCode, missing.json().field]).toEqual([404, 'id']);
  });
});
