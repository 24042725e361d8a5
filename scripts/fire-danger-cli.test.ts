/**
 * The fire-danger CLIs as outside checks call them: `npm run --silent fwi < in.csv` and
 * `npm run --silent danger -- …`; nothing but CSV / JSON on stdout.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './e2e/product.ts';

const REFERENCE = path.join(ROOT, 'server/domain/fire-danger/fixtures/nor-x-424-daily.csv');

function fwiCli(input: string, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'fwi', '--', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function dangerCli(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'danger', '--', ...args],
      { cwd: ROOT },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run fwi', () => {
  it('reproduces the NOR-X-424 sequence: input columns plus the six values, 4 decimals', async () => {
    const text = fs.readFileSync(REFERENCE, 'utf8');
    const { code, stdout } = await fwiCli(text);
    expect(code).toBe(0);
    const [head, ...rows] = stdout.trim().split('\n');
    expect(head).toBe('mth,day,lat,temp,rh,ws,pr,ffmc,dmc,dc,isi,bui,fwi');
    const want = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(rows).toHaveLength(want.length);
    rows.forEach((row, i) => {
      const got = row.split(',');
      const exp = want[i] as string[];
      expect(got.slice(0, 7)).toEqual(exp.slice(0, 7));
      for (let j = 7; j < 13; j++) {
        expect(got[j]).toMatch(/^\d+\.\d{4}$/);
        expect(Math.abs(Number(got[j]) - Number(exp[j]))).toBeLessThanOrEqual(0.1);
      }
    });
  }, 30_000);

  it('ignores other columns in any order and takes start codes from the flags', async () => {
    const input = 'station,pr,ws,rh,temp,day,mth\nX,0,25,42,17,13,4\n';
    const plain = await fwiCli(input);
    expect(plain.stdout.trim().split('\n')[0]).toBe(
      'station,pr,ws,rh,temp,day,mth,ffmc,dmc,dc,isi,bui,fwi',
    );
    // first day of the reference sequence from the standard start
    const first = plain.stdout.trim().split('\n')[1]?.split(',').slice(7).map(Number) ?? [];
    [87.7, 8.5, 19.0, 10.9, 8.5, 10.1].forEach((v, i) => {
      expect(Math.abs((first[i] as number) - v)).toBeLessThanOrEqual(0.1);
    });
    const wetter = await fwiCli(input, '--ffmc', '60', '--dmc', '6', '--dc', '15');
    expect(Number(wetter.stdout.trim().split('\n')[1]?.split(',')[7])).toBeLessThan(
      first[0] as number,
    );
  }, 30_000);

  it('names line and column of bad input on stderr, exit 2, nothing on stdout', async () => {
    const r = await fwiCli('mth,day,temp,rh,ws,pr\n4,13,17,42,25,0\n4,14,20,abc,25,2.4\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('line 3, column rh');
    const missing = await fwiCli('mth,day,temp,rh,ws\n4,13,17,42,25\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('"pr"');
  }, 30_000);
});

describe('npm run danger', () => {
  it('prints exactly the documented JSON', async () => {
    const r = await dangerCli('--tmax', '22', '--rh', '30', '--dry-days', '5', '--wind-ms', '4.0');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{"index":72,"level":3,"components":{"A":16,"B":16,"C":25,"E":15,"G":0}}\n',
    );
  }, 30_000);

  it('refuses a missing or bad argument naming it', async () => {
    const r = await dangerCli('--tmax', '22', '--rh', '130', '--dry-days', '5', '--wind-ms', '4');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--rh');
  }, 30_000);
});
