/**
 * Carries committed incident events to every server node (issue 17, item 1). Each node
 * delivers an event to its own sockets itself — its rooms, the public copies, the crews it
 * links in, and the sockets still replaying from the database, which hold what arrives
 * meanwhile (plugins/live.ts) — so a node must see every event as one message, in one order.
 * A Redis stream gives that: appended once, read by every node in the same order, resumed
 * from the last id after a Redis blip. Socket.IO's own adapter (redis-streams-adapter) still
 * carries everything else across nodes (crew updates, room joins); its room broadcasts are
 * not used for incident events because a node could not hold them for a socket mid-replay.
 * The database's event log stays the source of truth: whatever a node misses (Redis down
 * long enough to trim, a restart) a client gets by replay when it reconnects.
 */
import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { createClient } from 'redis';
import type { IncidentEvent } from '../domain/live-events.ts';

type RedisClient = ReturnType<typeof createClient>;

/** Entries kept in the stream (approximate trim): minutes of a busy dry season. */
const MAX_LEN = 10_000;
const BLOCK_MS = 2_000;

export class LiveRelay {
  readonly nodeId = crypto.randomUUID();
  private stopped = false;
  private reading: Promise<void> = Promise.resolve();
  private lastId = '$';

  constructor(
    private readonly writer: RedisClient,
    private readonly reader: RedisClient,
    private readonly deliver: (events: IncidentEvent[]) => void,
    private readonly log: FastifyBaseLogger,
    private readonly stream: string,
  ) {}

  /** Starts reading after the stream's current end (earlier events are the replay's). */
  async start(): Promise<void> {
    const last = (await this.writer.sendCommand([
      'XREVRANGE',
      this.stream,
      '+',
      '-',
      'COUNT',
      '1',
    ])) as [string, string[]][] | null;
    this.lastId = last?.[0]?.[0] ?? '0-0';
    this.reading = this.readLoop();
  }

  /** Appends events for the other nodes; the caller has delivered them on this node. */
  publish(events: IncidentEvent[]): void {
    this.writer
      .sendCommand([
        'XADD',
        this.stream,
        'MAXLEN',
        '~',
        String(MAX_LEN),
        '*',
        'node',
        this.nodeId,
        'events',
        JSON.stringify(events),
      ])
      .catch((err: unknown) =>
        // The other nodes' clients get these by replay when they reconnect.
        this.log.error({ err }, 'could not relay incident events to the other nodes'),
      );
  }

  private async readLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        const reply = (await this.reader.sendCommand([
          'XREAD',
          'COUNT',
          '200',
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          this.stream,
          this.lastId,
        ])) as [string, [string, string[]][]][] | null;
        for (const [, entries] of reply ?? [])
          for (const [id, fields] of entries) {
            this.lastId = id;
            const f: Record<string, string> = {};
            for (let i = 0; i + 1 < fields.length; i += 2)
              f[fields[i] as string] = fields[i + 1] as string;
            if (f.node === this.nodeId || !f.events) continue;
            this.deliver(JSON.parse(f.events) as IncidentEvent[]);
          }
      } catch (err) {
        if (this.stopped) break;
        this.log.warn({ err }, 'reading relayed incident events failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // The blocked XREAD returns within BLOCK_MS.
    await this.reading;
  }
}
