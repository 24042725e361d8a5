/**
 * `npm run weather:import`: a CSV file's problems named by line and field, nothing stored;
 * a good file stored and the danger computed. Runs the CLI on a test database of its own.
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
import { copyEmbeddedTemplate } from '../server/testing/database-template.ts';
import { newNestedAreas } from '../server/testing/factories.ts';
import { testBackend } from '../server/testing/test-database.ts';
import { ROOT } from './e2e/product.ts';

const embedded = testBackend() === 'embedded';
let dataDir = '';
let cleanup: () => Promise<void> = async () => {};
let township = '';
const today = beijingDate(new Date());

beforeAll(async () => {
  if (!embedded) return;
  dataDir = copyEmbeddedTemplate(inject('embeddedTemplateDir'));
  const db = await openDatabase({ dataDir });
  try {
    township = (await newNestedAreas(db)).township.code;
  } finally {
    await db.close();
  }
  cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
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
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.runIf(embedded)('npm run weather:import', () => {
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
    const db = await openDatabase({ dataDir });
    try {
      const [row] = await db.query<{ danger_index: number; level: number }>(sql`
        SELECT danger_index, level FROM fire_danger_forecasts
        WHERE township_code = ${township} AND grid_code IS NULL AND valid_date = ${today}::date`);
      expect(row).toEqual({ danger_index: 72, level: 3 });
    } finally {
      await db.close();
    }
  }, 120_000);
});
