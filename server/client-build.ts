/**
 * `npm start` builds the client when its build is missing or stale: the build records a
 * hash of its inputs, and a start whose inputs hash differently rebuilds. A county server
 * updated by `git pull` therefore never serves yesterday's page.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client');
export const CLIENT_DIST = path.join(CLIENT_ROOT, 'dist');
const STAMP = '.build-hash';

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory())
        return e.name === 'dist' || e.name === 'node_modules' ? [] : listFiles(p);
      return [p];
    })
    .sort();
}

/** Shared pure code the client bundles (the reach engine runs in the page's worker). */
const SHARED_DIRS = [path.resolve(CLIENT_ROOT, '../server/domain')];

/**
 * Hash of everything the client build reads: client/ (sources, pages, config) and the
 * shared domain code it imports.
 */
export function clientInputsHash(root = CLIENT_ROOT): string {
  const h = crypto.createHash('sha256');
  const shared = root === CLIENT_ROOT ? SHARED_DIRS : [];
  for (const dir of [root, ...shared])
    for (const file of listFiles(dir)) {
      if (file.endsWith('.test.ts') || file.includes(`${path.sep}fixtures${path.sep}`)) continue;
      h.update(path.relative(root, file));
      h.update(fs.readFileSync(file));
    }
  return h.digest('hex');
}

export function clientBuildIsFresh(root = CLIENT_ROOT, dist = CLIENT_DIST): boolean {
  try {
    return (
      fs.existsSync(path.join(dist, 'index.html')) &&
      fs.readFileSync(path.join(dist, STAMP), 'utf8') === clientInputsHash(root)
    );
  } catch {
    return false;
  }
}

/** Build the client unless the existing build is fresh. Returns true when it built. */
export async function ensureClientBuild(log: (msg: string) => void): Promise<boolean> {
  if (clientBuildIsFresh()) return false;
  log('客户端构建中 (building the client) …');
  const started = Date.now();
  const hash = clientInputsHash();
  const { build } = await import('vite');
  await build({ configFile: path.join(CLIENT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  fs.writeFileSync(path.join(CLIENT_DIST, STAMP), hash);
  log(`客户端构建完成 (client built in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return true;
}
