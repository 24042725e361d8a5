/**
 * The client speaks to the server through the wire contract (server/contract/) and the
 * shared domain (server/domain/) only: never through a repository's or a route's module,
 * whose shapes follow the SQL and the HTTP plumbing rather than what crosses the wire.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLIENT = path.dirname(new URL(import.meta.url).pathname);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|js)$/.test(e.name) ? [p] : [];
  });
}

describe('client imports', () => {
  it('take server code only from server/contract and server/domain', () => {
    const offending: string[] = [];
    const files = sources(CLIENT);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] as string;
        if (!spec.startsWith('.')) continue;
        const target = path.relative(
          path.join(CLIENT, '..', '..'),
          path.resolve(path.dirname(file), spec),
        );
        if (target.startsWith('server/') && !/^server\/(contract|domain)\//.test(target))
          offending.push(`${path.relative(CLIENT, file)} → ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('call the API through the one module client/src/api/http.ts, nowhere else', () => {
    const scattered: string[] = [];
    for (const file of sources(CLIENT)) {
      const rel = path.relative(CLIENT, file);
      if (rel.startsWith(`api${path.sep}`) || /\.test\.ts$/.test(rel)) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(fetch|XMLHttpRequest|sendBeacon)\s*\(/g))
        scattered.push(`${rel}: ${m[1]}`);
    }
    expect(scattered).toEqual([]);
  });
});
