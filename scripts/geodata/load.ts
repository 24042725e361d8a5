/**
 * `npm run geodata:load [-- DIR] [--keep-terrain]`: validates a county directory (default geodata/mayang) and
 * loads it into the configured database (DATABASE_URL, or the embedded one under DATA_DIR)
 * in one transaction, with a progress bar per layer. Re-running replaces the county; a
 * failure leaves the previous county intact. The directory's dem.tif is loaded as the county's
 * terrain; one without a DEM is refused unless --keep-terrain keeps the terrain already loaded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiBar, Presets } from 'cli-progress';
import { loadConfig, loadEnvFile } from '../../server/config/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { loadCounty } from '../../server/geodata/county-loader.ts';
import { formatReport, validateCounty } from './validate.ts';

loadEnvFile('.env');
const config = loadConfig();
const args = process.argv.slice(2);
const keepTerrain = args.includes('--keep-terrain');
const dir = path.resolve(
  args.find((a) => !a.startsWith('--')) ??
    path.join(path.dirname(fileURLToPath(import.meta.url)), '../../geodata/mayang'),
);

// A province (scripts/geodata/province.ts) holds many counties: the county rules (one road
// network, townships that tile the county, the published counts) hold per county, and each
// county there is a copy of a validated base, so the whole is not checked against them.
const countyCount = (
  JSON.parse(fs.readFileSync(path.join(dir, 'county.geojson'), 'utf8')) as { features: unknown[] }
).features.length;
if (countyCount > 1)
  console.log(
    `省级目录：${countyCount} 个县 (province of ${countyCount} counties; per-county rules not checked)`,
  );
else console.log(`校验 (validating) ${dir}`);
const report = countyCount > 1 ? null : validateCounty(dir);
if (report && report.problems.length > 0) {
  console.error(formatReport(report));
  console.error('nothing was loaded');
  process.exit(1);
}

const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(database);
  const bars = new MultiBar(
    { format: '{layer} {bar} {value}/{total}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const byLayer = new Map<string, ReturnType<MultiBar['create']>>();
  const result = await loadCounty(
    database,
    dir,
    (layer, done, total) => {
      let bar = byLayer.get(layer);
      if (!bar) {
        bar = bars.create(total, 0, { layer: layer.padEnd(15) });
        byLayer.set(layer, bar);
      }
      bar.update(done);
    },
    { keepTerrain },
  );
  bars.stop();
  console.log(
    `载入完成 (loaded into the ${database.kind} database in ${result.seconds.toFixed(1)} s)`,
    result.counts,
  );
} catch (err) {
  console.error(
    `载入失败，原有数据未改动 (load failed; the previous county is unchanged): ${(err as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  await database.close();
}
