/**
 * One server node as its own process, for tests that kill a node outright (SIGKILL): the
 * configuration from the environment as `npm start` reads it, no client files, no demo
 * loading. Prints `listening <port>` when ready.
 * Usage: node --import tsx server/testing/serve-node.ts [redis-prefix]
 */
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const app = await buildApp({
  config,
  database,
  startBreachClock: false,
  ...(process.argv[2] ? { redisPrefix: process.argv[2] } : {}),
});
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address ? address.port : config.port}`);
