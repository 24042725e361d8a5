/**
 * Users, passwords (argon2id via @node-rs/argon2) and sessions. Session tokens are random
 * 32-byte values; only their SHA-256 is stored, so a copy of the database opens no session.
 * Wrong passwords are counted on the account for the record (and the audit trail); they never
 * lock it — a lock anyone could trigger is a lock-out of the county (services/login-throttle.ts
 * refuses the guessing address instead).
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, lte, ne, not, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import { sessions, users } from '../db/schema/users.ts';
import type { Actor } from '../domain/access.ts';
import type { UserRole } from '../domain/vocabulary.ts';

export const SESSION_HOURS = { cookie: 12, bearer: 24 * 30 } as const;

const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** The columns an actor is made of, typed by the schema. */
const actorColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  warZoneId: users.warZoneId,
  townshipCode: users.townshipCode,
  villageCode: users.villageCode,
  gridCode: users.gridCode,
  crewId: users.crewId,
};

interface ActorRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  warZoneId: number | null;
  townshipCode: string | null;
  villageCode: string | null;
  gridCode: string | null;
  crewId: string | null;
}

function toActor(r: ActorRow): Actor {
  return {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    // The database's check admits only the vocabulary's roles.
    role: r.role as UserRole,
    warZoneId: r.warZoneId,
    townshipCode: r.townshipCode,
    villageCode: r.villageCode,
    gridCode: r.gridCode,
    crewId: r.crewId,
  };
}

/** The time before which a bearer token's last use makes it over. */
const bearerIdleSince = (hours: number) => sql`now() - make_interval(hours => ${hours})`;

export type LoginResult =
  | { ok: true; actor: Actor; token: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' };

/** Hours a bearer token (a phone) may go unused before it must sign in again (default). */
export const BEARER_IDLE_HOURS = 168;

export function createUsersRepository(
  database: Database,
  opts: { bearerIdleHours: number } = { bearerIdleHours: BEARER_IDLE_HOURS },
) {
  const { db } = database;
  return {
    async create(u: {
      username: string;
      displayName: string;
      password: string;
      role: UserRole;
      warZoneId?: number | null;
      townshipCode?: string | null;
      villageCode?: string | null;
      gridCode?: string | null;
      crewId?: string | null;
    }): Promise<void> {
      const passwordHash = await hash(u.password);
      await db
        .insert(users)
        .values({
          username: u.username,
          displayName: u.displayName,
          passwordHash,
          role: u.role,
          warZoneId: u.warZoneId ?? null,
          townshipCode: u.townshipCode ?? null,
          villageCode: u.villageCode ?? null,
          gridCode: u.gridCode ?? null,
          crewId: u.crewId ?? null,
        })
        .onConflictDoNothing({ target: users.username });
    },

    async count(): Promise<number> {
      return db.$count(users);
    },

    async login(
      username: string,
      password: string,
      kind: 'cookie' | 'bearer',
      now = new Date(),
    ): Promise<LoginResult> {
      const [row] = await db
        .select({ ...actorColumns, passwordHash: users.passwordHash, disabled: users.disabled })
        .from(users)
        .where(eq(users.username, username));
      if (!row || row.disabled) {
        // Unknown users cost the same time as wrong passwords.
        await hash(password);
        return { ok: false, reason: 'invalid' };
      }
      const ok = await verify(row.passwordHash, password);
      if (!ok) {
        await db
          .update(users)
          .set({ failedLogins: sql`${users.failedLogins} + 1` })
          .where(eq(users.id, row.id));
        return { ok: false, reason: 'invalid' };
      }
      await db
        .update(users)
        .set({ failedLogins: 0, lockedUntil: null })
        .where(eq(users.id, row.id));
      const token = crypto.randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + SESSION_HOURS[kind] * 3_600_000);
      await db
        .insert(sessions)
        .values({ tokenHash: tokenHash(token), userId: row.id, kind, expiresAt });
      return { ok: true, actor: toActor(row), token, expiresAt };
    },

    /** An administrator's unlock: the account's failure count starts again. */
    async resetFailures(username: string): Promise<boolean> {
      const rows = await db
        .update(users)
        .set({ failedLogins: 0, lockedUntil: null })
        .where(eq(users.username, username))
        .returning({ id: users.id });
      return rows.length > 0;
    },

    async actorForToken(token: string): Promise<Actor | null> {
      const hashed = tokenHash(token);
      const [row] = await db
        .select({
          ...actorColumns,
          stale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'`,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.tokenHash, hashed),
            gt(sessions.expiresAt, sql`now()`),
            not(users.disabled),
            or(
              ne(sessions.kind, 'bearer'),
              gt(sessions.lastSeenAt, bearerIdleSince(opts.bearerIdleHours)),
            ),
          ),
        );
      if (!row) return null;
      // Use is recorded to the minute, not on every request.
      if (row.stale === true)
        await db
          .update(sessions)
          .set({ lastSeenAt: sql`now()` })
          .where(eq(sessions.tokenHash, hashed));
      return toActor(row);
    },

    /**
     * Deletes sessions past their expiry, and bearer tokens idle past BEARER_IDLE_HOURS;
     * answers their token hashes (the live rooms of their sockets).
     */
    async endExpiredSessions(): Promise<string[]> {
      const rows = await db
        .delete(sessions)
        .where(
          or(
            lte(sessions.expiresAt, sql`now()`),
            and(
              eq(sessions.kind, 'bearer'),
              lte(sessions.lastSeenAt, bearerIdleSince(opts.bearerIdleHours)),
            ),
          ),
        )
        .returning({ tokenHash: sessions.tokenHash });
      return rows.map((r) => r.tokenHash);
    },

    async logout(token: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
    },

    /** Ends every session of a user (sign out everywhere); how many there were. */
    async logoutEverywhere(userId: string): Promise<number> {
      const rows = await db
        .delete(sessions)
        .where(eq(sessions.userId, userId))
        .returning({ tokenHash: sessions.tokenHash });
      return rows.length;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    usersRepository: UsersRepository;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { bearerIdleHours?: number }) => {
    app.decorate(
      'usersRepository',
      createUsersRepository(app.database, {
        bearerIdleHours: opts.bearerIdleHours ?? BEARER_IDLE_HOURS,
      }),
    );
  },
  { name: 'users-repository', dependencies: ['db'] },
);
