/**
 * Tests do not pay PGlite's first initialisation (~14 s here) per test file: one migrated
 * template is made per run (and cached between runs, keyed by the migrations and the PGlite
 * version), and each test file opens its own copy (~2–3 s). On a PostGIS server the same idea
 * is a template database: each file gets `CREATE DATABASE … TEMPLATE …`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../db/database.ts';
import { MIGRATIONS_DIR, migrate } from '../db/migrate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function migrationsHash(): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(e.name).update(fs.readFileSync(p));
    }
  };
  walk(MIGRATIONS_DIR);
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis']) {
    h.update(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json')));
  }
  return h.digest('hex').slice(0, 16);
}

let templateInFlight: Promise<string> | null = null;

/**
 * Make (or reuse) the migrated embedded template; returns its data dir (the DATA_DIR).
 * Single-flight: the db and e2e global setups may ask at the same time on a fresh machine,
 * and two builds into one directory would corrupt it.
 */
export function ensureEmbeddedTemplate(): Promise<string> {
  templateInFlight ??= buildEmbeddedTemplate().finally(() => {
    templateInFlight = null;
  });
  return templateInFlight;
}

async function buildEmbeddedTemplate(): Promise<string> {
  const dir = path.join(ROOT, 'node_modules/.cache/pglite-template', migrationsHash());
  if (fs.existsSync(path.join(dir, 'READY'))) return dir;
  const building = `${dir}.building-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ dataDir: building });
  await migrate(db);
  await db.close();
  fs.writeFileSync(path.join(building, 'READY'), new Date().toISOString());
  if (fs.existsSync(path.join(dir, 'READY'))) {
    // Another process finished first; use its template.
    fs.rmSync(building, { recursive: true, force: true });
    return dir;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(building, dir);
  return dir;
}

/** Copy the embedded template into a fresh temporary DATA_DIR. */
export function copyEmbeddedTemplate(templateDir: string, prefix = 'fire-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(templateDir, 'pglite'), path.join(dir, 'pglite'), { recursive: true });
  return dir;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Create a migrated template database next to the one DATABASE_URL names. */
export async function createServerTemplate(baseUrl: string): Promise<string> {
  const name = `fire_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const db = await openDatabase({ databaseUrl: withDatabase(baseUrl, name), maxConnections: 1 });
  await migrate(db);
  await db.close();
  // Template databases must have no other connections when copied.
  const admin2 = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin2.unsafe(`ALTER DATABASE ${name} WITH IS_TEMPLATE true`);
  } finally {
    await admin2.end();
  }
  return name;
}

export async function dropServerDatabase(
  baseUrl: string,
  name: string,
  isTemplate = false,
): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    if (isTemplate) await admin.unsafe(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A fresh database copied from the template; returns its URL. */
export async function createServerCopy(
  baseUrl: string,
  template: string,
): Promise<{ url: string; name: string }> {
  const name = `fire_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return { url: withDatabase(baseUrl, name), name };
}
