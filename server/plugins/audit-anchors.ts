/**
 * Anchors the audit chain's head outside the database (issue 18, item 8): at start, every
 * AUDIT_ANCHOR_MINUTES and at a graceful close, a JSON line in AUDIT_ANCHOR_FILE and a log
 * line. With several nodes on one PostgreSQL only one anchors: the holder of a session-level
 * advisory lock, the breach clock's mechanism (plugins/breach-clock.ts); another node takes
 * over at its next tick when the holder is gone.
 */
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { HeldLock } from '../db/database.ts';
import { anchorHead } from '../services/audit-anchors.ts';
import type { AuditAnchor, AuditChain } from '../services/audit-chain.ts';

/** pg_advisory_lock key of the audit anchor's writer (CLOCK_LEADER_LOCK is 7_381_003). */
export const AUDIT_ANCHOR_LOCK = 7_381_004;

declare module 'fastify' {
  interface FastifyInstance {
    auditAnchors: {
      /** The anchor file; null → anchoring is off (tests without a data directory). */
      file: string | null;
      /** Anchor now if this node is the anchoring one; the anchor written, or null. */
      anchorNow(): Promise<AuditAnchor | null>;
      /** Whether this node writes the anchors now. */
      leader(): boolean;
    };
  }
}

export default fp(
  async (
    app: FastifyInstance,
    opts: { chain: AuditChain; file: string | null; minutes: number },
  ) => {
    const node = `${os.hostname()}:${process.pid}`;
    let held: HeldLock | null = null;
    let timer: NodeJS.Timeout | null = null;
    let closed = false;
    let running: Promise<unknown> = Promise.resolve();

    async function lead(): Promise<boolean> {
      if (held && !(await held.alive())) {
        await held.release();
        held = null;
      }
      if (!held && app.database.leaderLock) held = await app.database.leaderLock(AUDIT_ANCHOR_LOCK);
      return held !== null;
    }

    async function anchorNow(): Promise<AuditAnchor | null> {
      if (!opts.file || !(await lead())) return null;
      const anchor = await anchorHead(app.auditRepository, opts.chain, opts.file, node);
      if (anchor)
        app.log.info(
          { auditAnchor: { ...anchor, file: opts.file } },
          `audit chain anchored: ${anchor.rows} rows, seq ${anchor.lastSeq}, hash ${anchor.lastHash}`,
        );
      return anchor;
    }

    const tick = async () => {
      try {
        await anchorNow();
      } catch (err) {
        app.log.error({ err }, 'audit anchor failed');
      }
    };

    app.decorate('auditAnchors', { file: opts.file, anchorNow, leader: () => held !== null });
    if (!opts.file) return;

    app.addHook('onReady', async () => {
      running = tick();
      await running;
      timer = setInterval(() => {
        running = running.then(tick);
      }, opts.minutes * 60_000);
      timer.unref();
    });
    // After in-flight requests have finished (their rows are in) and before the database
    // closes: onClose hooks run in reverse order of registration, db's being registered first.
    app.addHook('onClose', async () => {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await running;
      await app.auditNoise.flush(true);
      await tick();
      await held?.release();
      held = null;
    });
  },
  { name: 'audit-anchors', dependencies: ['audit-repository', 'auth', 'db'] },
);
