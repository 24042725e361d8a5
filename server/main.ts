/**
 * `npm start`: validate config → open the database → migrate → (load the demo county when
 * empty) → build the client if stale → listen → print the URL. SIGTERM/SIGINT stop
 * accepting, finish in-flight requests and close the database cleanly.
 */
import pino from 'pino';
import { buildApp } from './app.ts';
import { CLIENT_DIST, ensureClientBuild } from './client-build.ts';
import { ConfigError, loadConfig, loadEnvFile } from './config/config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { adoptTerrain, DEMO_COUNTY_DIR, loadCounty } from './geodata/county-loader.ts';
import { DEMO_PASSWORD, seedDemoUsers } from './geodata/demo-users.ts';
import { loadDemoWeather } from './geodata/demo-weather.ts';
import { createAreasRepository } from './repositories/areas-repository.ts';

async function main() {
  const startedAt = Date.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    loadEnvFile('.env');
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel });

  log.info(
    { backend: config.backend },
    config.backend === 'embedded'
      ? `opening the embedded database in ${config.dataDir}`
      : 'connecting to the PostGIS server',
  );
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });

  const applied = await migrate(database);
  log.info(
    { applied },
    applied > 0 ? `applied ${applied} migration(s)` : 'database schema is up to date',
  );

  const counts = await createAreasRepository(database).counts();
  if ((counts.counties ?? 0) === 0) {
    if (config.demo) {
      log.info(
        `数据库为空，载入演示县域 (empty database: loading the demo county from ${DEMO_COUNTY_DIR})`,
      );
      const result = await loadCounty(database, DEMO_COUNTY_DIR, (layer, done, total) => {
        if (done === total) log.info({ layer, batches: total }, `loaded ${layer}`);
      });
      log.info(result.counts, `demo county loaded in ${result.seconds.toFixed(1)} s`);
    } else {
      log.warn('数据库中尚无县域数据 (no county loaded yet): run `npm run geodata:load -- <dir>`');
    }
  } else {
    // A county loaded before the terrain was stored with it: the demo county's DEM is its own.
    const terrain = await adoptTerrain(database, DEMO_COUNTY_DIR);
    if (terrain === 'stored')
      log.info('stored the demo county’s DEM with its data (county_terrain)');
    if (terrain === 'other-county')
      log.warn(
        '县域无地形数据 (the loaded county has no DEM): reload it with its dem.tif, `npm run geodata:load -- <dir>`',
      );
  }

  if (config.demo) {
    const created = await seedDemoUsers(database);
    if (created.length > 0)
      // Printed once, at the first start: the county replaces these accounts with its own.
      console.log(
        [
          '',
          `  演示账户 (demo users, password "${DEMO_PASSWORD}"):`,
          ...created.map(
            (u) => `    ${u.username.padEnd(12)} ${u.role.padEnd(20)} ${u.displayName}`,
          ),
          '',
        ].join('\n'),
      );
  }

  if (config.demo) {
    // A synthetic fire season up to today with a 3-day forecast, so the danger layer has data.
    const added = await loadDemoWeather(database, {
      system: config.dangerSystem,
      gByMonth: config.dangerSeasonCorrection,
    });
    if (added > 0) log.info({ rows: added }, '演示气象数据已载入 (synthetic demo weather loaded)');
  }

  await ensureClientBuild((m) => log.info(m));

  const app = await buildApp({ config, database, clientDir: CLIENT_DIST, loggerInstance: log });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    const force = setTimeout(() => {
      log.error('shutdown grace period over; exiting with work unfinished');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    force.unref();
    try {
      await app.close();
      log.info('database closed; bye');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  // The one line a person starting the product needs; printed plainly, not as JSON.
  console.log(`\n  森林防火挂图作战指挥平台 ready in ${seconds} s → ${url}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
