/**
 * `npm run weather:import`: a CSV file's problems named by line and field, nothing stored;
 * a good file stored and the danger computed; the wind direction read from degrees, compass
 * letters or Chinese. Runs the CLI on a test database of its own, on either backend.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../server/db/database.ts';
import { addDays, beijingDate } from '../server/domain/fire-danger/weather-input.ts';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  dropServerDatabase,
} from '../server/testing/database-template.ts';
import { newNestedAreas } from '../server/testing/factories.ts';
import { testBackend } from '../server/testing/test-database.ts';
import { ROOT } from './e2e/product.ts';

const embedded = testBackend() === 'embedded';
let dataDir = '';
let databaseUrl = '';
let cleanup: () => Promise<void> = async () => {};
let township = '';
const today = beijingDate(new Date());

/** The test's database, opened while the CLI is not running. */
const open = () => (embedded ? openDatabase({ dataDir }) : openDatabase({ databaseUrl }));

beforeAll(async () => {
  if (embedded) {
    dataDir = copyEmbeddedTemplate(inject('embeddedTemplateDir'));
    cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  } else {
    const base = inject('serverBaseUrl');
    const copy = await createServerCopy(base, inject('serverTemplate'));
    databaseUrl = copy.url;
    cleanup = () => dropServerDatabase(base, copy.name);
  }
  const db = await open();
  try {
    township = (await newNestedAreas(db)).township.code;
  } finally {
    await db.close();
  }
}, 120_000);
afterAll(async () => cleanup());

async function importCsv(kind: string, text: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weather-')), 'in.csv');
  fs.writeFileSync(file, text);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'weather:import', '--', '--kind', kind, file],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe(`npm run weather:import (${testBackend()} backend)`, () => {
  it('names line and field of every problem and stores nothing', async () => {
    const r = await importCsv(
      'observations',
      `township,date,tmax,rh14,wind_ms,rain_mm\n${township},${today},20,40,3,0\n${township},${today},20,140,3,0\n999999999,${today},20,40,x,0\n`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3, rh14Pct');
    expect(r.stderr).toContain('line 4, windMs');
    expect(r.stderr).toContain('line 4, townshipCode');
    expect(r.stderr).toContain('nothing was imported');
  }, 120_000);

  it('imports a good file and computes the danger', async () => {
    const lines = [4, 3, 2, 1, 0].map((n) => `${township},${addDays(today, -n)},22,30,4.0,0`);
    const r = await importCsv(
      'observations',
      `township,date,tmax,rh14,wind_ms,rain_mm\n${lines.join('\n')}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported 5 rows');
    const db = await open();
    try {
      const [row] = await db.query<{ danger_index: number; level: number }>(sql`
        SELECT danger_index, level FROM fire_danger_forecasts
        WHERE township_code = ${township} AND grid_code IS NULL AND valid_date = ${today}::date`);
      expect(row).toEqual({ danger_index: 72, level: 3 });
    } finally {
      await db.close();
    }
  }, 120_000);

  it('reads the wind direction in degrees, compass letters or Chinese, under its own or the Chinese header', async () => {
    const date = addDays(today, -10);
    const r = await importCsv(
      'observations',
      [
        'township,date,tmax,rh14,wind_ms,rain_mm,风向',
        `${township},${date},22,30,4,0,270`,
        `${township},${date},22,30,4,0,NNE`,
        `${township},${date},22,30,4,0,sw`,
        `${township},${date},22,30,4,0,东南`,
        `${township},${date},22,30,4,0,C`,
        `${township},${date},22,30,4,0,`,
        `${township},${date},22,30,4,0,360`,
      ].join('\n'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported 7 rows');
    const db = await open();
    try {
      const rows = await db.query<{ d: number | null }>(sql`
        SELECT wind_from_deg AS d FROM weather_daily
        WHERE township_code = ${township} AND valid_date = ${date}::date ORDER BY id`);
      // 270 west; NNE 22.5; SW 225; 东南 135; C calm and an empty cell: none; 360 north, 0.
      expect(rows.map((x) => (x.d === null ? null : Number(x.d)))).toEqual([
        270,
        22.5,
        225,
        135,
        null,
        null,
        0,
      ]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('a bad direction is named by line and column, and nothing of the file is stored', async () => {
    const date = addDays(today, -11);
    const r = await importCsv(
      'observations',
      [
        'township,date,tmax,rh14,wind_ms,rain_mm,wind_dir',
        `${township},${date},22,30,4,0,W`,
        `${township},${date},22,30,4,0,400`,
        `${township},${date},22,30,4,0,WEST-ISH`,
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3, windFromDeg (column "wind_dir")');
    expect(r.stderr).toContain('line 4, windFromDeg (column "wind_dir")');
    expect(r.stderr).not.toContain('line 2,');
    expect(r.stderr).toContain('nothing was imported');
    const db = await open();
    try {
      const [n] = await db.query<{ n: string }>(sql`
        SELECT count(*) AS n FROM weather_daily WHERE township_code = ${township} AND valid_date = ${date}::date`);
      expect(Number(n?.n)).toBe(0);
    } finally {
      await db.close();
    }
  }, 120_000);
});
