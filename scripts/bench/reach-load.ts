/**
 * Load generator for offload.bench.ts, run as its own process so its work does not sit on
 * the server's event loop: N loops asking GET /api/reach, each from its own loopback
 * address (127.0.0.2, .3, …: the server counts anonymous limits per address), one request in
 * flight per loop. A refused one (503 busy, 429 limit) waits 100 ms and asks again.
 * Commands on stdin: `on`, `off` (answers `idle` once every loop has stopped), `stats`
 * (answers one JSON line of counts by status since the last `stats`).
 */
import http from 'node:http';
import readline from 'node:readline';

const [url, loopsArg, pointsArg] = process.argv.slice(2);
const target = new URL(url as string);
const loops = Number(loopsArg);
const points = JSON.parse(pointsArg as string) as [number, number][];

let on = false;
let running = 0;
let counts: Record<string, number> = {};
let k = 0;

function ask(agent: http.Agent, localAddress: string): Promise<number> {
  const [lon, lat] = points[k++ % points.length] as [number, number];
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: target.hostname,
        port: target.port,
        path: `/api/reach?lon=${lon}&lat=${lat}`,
        agent,
        localAddress,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(-1));
  });
}

async function loop(i: number) {
  running++;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const localAddress = `127.0.0.${2 + i}`;
  while (on) {
    const status = await ask(agent, localAddress);
    counts[status] = (counts[status] ?? 0) + 1;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  agent.destroy();
  running--;
  if (running === 0) process.stdout.write('idle\n');
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = line.trim();
  if (cmd === 'on' && !on) {
    on = true;
    for (let i = 0; i < loops; i++) void loop(i);
  } else if (cmd === 'off') {
    on = false;
    if (running === 0) process.stdout.write('idle\n');
  } else if (cmd === 'stats') {
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    counts = {};
  }
});
process.stdout.write('ready\n');
