/**
 * Village combat map 作战图 end to end (issue 14 item 6): the product renders a village's map
 * in headless Chromium and answers a landscape PDF — A4 (297×210 mm = 841.89×595.28 pt) by
 * default, A3 (420×297 mm = 1190.55×841.89 pt) when asked — every page checked with pdfinfo;
 * the sheet is rasterised with pdftoppm and looked at (the village's outline is on it, the
 * map is not blank). The roster is never cut: the village with the most people on its roster
 * (far more rows than fit beside the map) gets further pages, and pdftotext finds every name
 * on it, the legend, the north arrow and the scale bar. Without sign-in 401, a ranger 403, an
 * unknown village 404.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, postJson } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const env = useFreshProductAndBrowser();
const RESULTS = path.join(ROOT, 'test-results');

async function token(username: string): Promise<string> {
  const res = await postJson(env.product.url, '/api/auth/login', {
    username,
    password: DEMO_PASSWORD,
    client: 'field',
  });
  return res.body.token as string;
}

async function pdf(url: string, bearer?: string) {
  const res = await fetch(`${env.product.url}${url}`, {
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** pdfinfo's page count and the size of every page in points. */
function pdfInfo(file: string): {
  pages: number;
  width: number;
  height: number;
  sizes: [number, number][];
} {
  const pages = Number(
    /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1],
  );
  const out = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), file], {
    encoding: 'utf8',
  });
  const sizes = [...out.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map(
    (m) => [Number(m[1]), Number(m[2])] as [number, number],
  );
  const [width, height] = sizes[0] ?? [Number.NaN, Number.NaN];
  return { pages, width, height, sizes };
}

/** Chromium lays sheets out in whole CSS pixels (0.75 pt): within 1 pt (0.35 mm) of the paper. */
function expectPoints(actual: number, paper: number) {
  expect(Math.abs(actual - paper), `${actual} pt vs ${paper} pt`).toBeLessThan(1);
}

/** Every page of the file is the paper, landscape. */
function expectEveryPage(info: ReturnType<typeof pdfInfo>, width: number, height: number) {
  expect(info.sizes.length).toBe(info.pages);
  for (const [w, hgt] of info.sizes) {
    expectPoints(w, width);
    expectPoints(hgt, height);
  }
}

/** The text of pages first..last (all when not given), whitespace removed (CJK may be spaced). */
function pdfText(file: string, first?: number, last?: number): string {
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  return execFileSync('pdftotext', [...range, file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

interface VillageSheet {
  code: string;
  name: string;
  grids: { roster: { name: string; role: string }[] }[];
}

describe(`village combat map PDF (${inject('e2eBackend')} backend)`, () => {
  it('prints a village on A4 landscape pages, A3 when asked, with every name of its roster', async () => {
    const county = await token('county');
    const flags = await fetch(`${env.product.url}/api/flags?month=2026-01&level=village`, {
      headers: { authorization: `Bearer ${county}` },
    });
    const villages = (await flags.json()) as { code: string; name: string }[];
    // A village of 高村镇 with forest grids (the town's communities have none).
    let village: VillageSheet | undefined;
    for (const v of villages.filter((x) => x.code.startsWith('431226106'))) {
      const data = await fetch(`${env.product.url}/api/villages/${v.code}/combat-map`, {
        headers: { authorization: `Bearer ${county}` },
      });
      const body = await data.json();
      if (body.grids.length >= 3) {
        village = body;
        break;
      }
    }
    if (!village) throw new Error('no village of 高村镇 with three grids');
    expect(village.grids.every((g) => g.roster.length > 0)).toBe(true);
    fs.mkdirSync(RESULTS, { recursive: true });

    const a4 = await pdf(`/api/villages/${village.code}/combat-map.pdf`, county);
    expect(a4.status, a4.body.toString('utf8', 0, 300)).toBe(200);
    expect(a4.type).toBe('application/pdf');
    expect(a4.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const a4File = path.join(RESULTS, 'combat-map-A4.pdf');
    fs.writeFileSync(a4File, a4.body);
    const info = pdfInfo(a4File);
    expectEveryPage(info, 841.89, 595.28);
    // Every name of its roster is printed, on the sheet or on the pages after it.
    const a4Text = pdfText(a4File);
    for (const p of village.grids.flatMap((g) => g.roster))
      expect(a4Text, p.name).toContain(p.name.replace(/\s+/g, ''));

    // Look at the page: at 40 dpi 297×210 mm is 11.69×8.27 in → 468×331 px; the village's outline
    // (navy #1a237e: red on a combat map is a fire) must be drawn, and the map is more than a
    // few colours; no red of a fire's is drawn where no fire burns.
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '40',
      '-singlefile',
      a4File,
      path.join(RESULTS, 'combat-map-A4'),
    ]);
    const png = decode(fs.readFileSync(path.join(RESULTS, 'combat-map-A4.png')));
    expect([png.width, png.height]).toEqual([468, 331]);
    const channels = png.channels;
    let outline = 0;
    let red = 0;
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += channels) {
      const [r, g, b] = [
        png.data[i] as number,
        png.data[i + 1] as number,
        png.data[i + 2] as number,
      ];
      colours.add((r >> 4) * 256 + (g >> 4) * 16 + (b >> 4));
      if (Math.abs(r - 0x1a) < 30 && Math.abs(g - 0x23) < 30 && Math.abs(b - 0x7e) < 40) outline++;
      if (r > 150 && g < 80 && b < 80) red++;
    }
    expect(outline).toBeGreaterThan(50);
    expect(red).toBe(0);
    expect(colours.size).toBeGreaterThan(60);

    const a3 = await pdf(`/api/villages/${village.code}/combat-map.pdf?paper=A3`, county);
    expect(a3.status).toBe(200);
    const a3File = path.join(RESULTS, 'combat-map-A3.pdf');
    fs.writeFileSync(a3File, a3.body);
    expectEveryPage(pdfInfo(a3File), 1190.55, 841.89);

    // The township's sheet: 高村镇 on one A4 page.
    const twp = await pdf('/api/townships/431226106/combat-map.pdf', county);
    expect(twp.status, twp.body.toString('utf8', 0, 300)).toBe(200);
    const twpFile = path.join(RESULTS, 'combat-map-township-A4.pdf');
    fs.writeFileSync(twpFile, twp.body);
    expectEveryPage(pdfInfo(twpFile), 841.89, 595.28);

    expect((await pdf(`/api/villages/${village.code}/combat-map.pdf`)).status).toBe(401);
    expect(
      (await pdf(`/api/villages/${village.code}/combat-map.pdf`, await token('ranger'))).status,
    ).toBe(403);
    expect((await pdf('/api/villages/431226999999/combat-map.pdf', county)).status).toBe(404);
    // Three Chromium renders on a loaded two-core machine under SwiftShader.
  }, 420_000);

  it('prints every name of the longest roster in the county, on further pages when it does not fit', async () => {
    const county = await token('county');
    const villages = (await (
      await fetch(`${env.product.url}/api/flags?month=2026-01&level=village`, {
        headers: { authorization: `Bearer ${county}` },
      })
    ).json()) as { code: string }[];
    let most: VillageSheet | undefined;
    let mostPeople = -1;
    for (const v of villages) {
      const body = (await (
        await fetch(`${env.product.url}/api/villages/${v.code}/combat-map`, {
          headers: { authorization: `Bearer ${county}` },
        })
      ).json()) as VillageSheet;
      const people = body.grids.reduce((n, g) => n + g.roster.length, 0);
      if (people > mostPeople) [most, mostPeople] = [body, people];
    }
    if (!most) throw new Error('no village');
    // More rows than an A4 sheet is tall at any legible size (≥ 3 mm a row: 70 × 3 > 210 mm).
    expect(mostPeople).toBeGreaterThan(70);
    fs.mkdirSync(RESULTS, { recursive: true });
    const res = await pdf(`/api/villages/${most.code}/combat-map.pdf`, county);
    expect(res.status, res.body.toString('utf8', 0, 300)).toBe(200);
    const file = path.join(RESULTS, 'combat-map-longest-roster-A4.pdf');
    fs.writeFileSync(file, res.body);
    const info = pdfInfo(file);
    expect(info.pages).toBeGreaterThanOrEqual(2);
    expectEveryPage(info, 841.89, 595.28);

    const all = pdfText(file);
    const missing = most.grids
      .flatMap((g) => g.roster.map((p) => p.name.replace(/\s+/g, '')))
      .filter((name) => !all.includes(name));
    expect(missing).toEqual([]);
    // The sheet itself: legend, north arrow, scale bar, and where the roster went.
    const sheet = pdfText(file, 1);
    expect(sheet).toContain('图例');
    expect(sheet).toContain(most.name);
    const sheetLines = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], {
      encoding: 'utf8',
    });
    expect(sheetLines).toMatch(/(^|\s)N(\s|$)/m);
    expect(sheetLines).toMatch(/\d+\s*(m|km|米|千米|公里)(\s|$)/m);
    expect(sheet).toContain('见第2页起');
    // The roster's pages: its head on each of them.
    for (let p = 2; p <= info.pages; p++) expect(pdfText(file, p), `page ${p}`).toContain('姓名');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '50',
      file,
      path.join(RESULTS, 'combat-map-longest-roster'),
    ]);
  }, 420_000);
});
