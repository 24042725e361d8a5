/**
 * Users, passwords (argon2id via @node-rs/argon2) and sessions. Session tokens are random
 * 32-byte values; only their SHA-256 is stored, so a copy of the database opens no session.
 * Wrong passwords are counted on the account for the record (and the audit trail); they never
 * lock it — a lock anyone could trigger is a lock-out of the county (services/login-throttle.ts
 * refuses the guessing address instead).
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import type { Actor } from '../domain/access.ts';
import type { UserRole } from '../domain/vocabulary.ts';

export const SESSION_HOURS = { cookie: 12, bearer: 24 * 30 } as const;

const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function toActor(r: Record<string, unknown>): Actor {
  return {
    id: r.id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as UserRole,
    warZoneId: r.war_zone_id === null || r.war_zone_id === undefined ? null : Number(r.war_zone_id),
    townshipCode: (r.township_code as string | null) ?? null,
    villageCode: (r.village_code as string | null) ?? null,
    gridCode: (r.grid_code as string | null) ?? null,
    crewId: (r.crew_id as string | null) ?? null,
  };
}

const ACTOR_COLUMNS = sql`u.id, u.username, u.display_name, u.role, u.war_zone_id, u.township_code,
  u.village_code, u.grid_code, u.crew_id`;

export type LoginResult =
  | { ok: true; actor: Actor; token: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' };

/** Hours a bearer token (a phone) may go unused before it must sign in again (default). */
export const BEARER_IDLE_HOURS = 168;

export function createUsersRepository(
  database: Database,
  opts: { bearerIdleHours: number } = { bearerIdleHours: BEARER_IDLE_HOURS },
) {
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
      await database.query(sql`
        INSERT INTO users (username, display_name, password_hash, role, war_zone_id, township_code, village_code, grid_code, crew_id)
        VALUES (${u.username}, ${u.displayName}, ${passwordHash}, ${u.role}, ${u.warZoneId ?? null},
                ${u.townshipCode ?? null}, ${u.villageCode ?? null}, ${u.gridCode ?? null}, ${u.crewId ?? null})
        ON CONFLICT (username) DO NOTHING`);
    },

    async count(): Promise<number> {
      const [r] = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`);
      return Number(r?.n ?? 0);
    },

    async login(
      username: string,
      password: string,
      kind: 'cookie' | 'bearer',
      now = new Date(),
    ): Promise<LoginResult> {
      const [row] = await database.query<Record<string, unknown>>(sql`
        SELECT ${ACTOR_COLUMNS}, u.password_hash, u.failed_logins, u.locked_until, u.disabled
        FROM users u WHERE u.username = ${username}`);
      if (!row || row.disabled) {
        // Unknown users cost the same time as wrong passwords.
        await hash(password);
        return { ok: false, reason: 'invalid' };
      }
      const ok = await verify(row.password_hash as string, password);
      if (!ok) {
        await database.query(sql`
          UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ${row.id as string}::uuid`);
        return { ok: false, reason: 'invalid' };
      }
      await database.query(
        sql`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ${row.id as string}::uuid`,
      );
      const token = crypto.randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + SESSION_HOURS[kind] * 3_600_000);
      await database.query(sql`
        INSERT INTO sessions (token_hash, user_id, kind, expires_at)
        VALUES (${tokenHash(token)}, ${row.id as string}::uuid, ${kind}, ${expiresAt.toISOString()}::timestamptz)`);
      return { ok: true, actor: toActor(row), token, expiresAt };
    },

    /** An administrator's unlock: the account's failure count starts again. */
    async resetFailures(username: string): Promise<boolean> {
      const rows = await database.query<{ id: string }>(sql`
        UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ${username} RETURNING id`);
      return rows.length > 0;
    },

    async actorForToken(token: string): Promise<Actor | null> {
      const hash = tokenHash(token);
      const [row] = await database.query<Record<string, unknown>>(sql`
        SELECT ${ACTOR_COLUMNS}, s.last_seen_at < now() - interval '1 minute' AS stale
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${hash} AND s.expires_at > now() AND NOT u.disabled
          AND (s.kind <> 'bearer' OR s.last_seen_at > now() - make_interval(hours => ${opts.bearerIdleHours}))`);
      if (!row) return null;
      // Use is recorded to the minute, not on every request.
      if (row.stale === true)
        await database.query(
          sql`UPDATE sessions SET last_seen_at = now() WHERE token_hash = ${hash}`,
        );
      return toActor(row);
    },

    /**
     * Deletes sessions past their expiry, and bearer tokens idle past BEARER_IDLE_HOURS;
     * answers their token hashes (the live rooms of their sockets).
     */
    async endExpiredSessions(): Promise<string[]> {
      const rows = await database.query<{ token_hash: string }>(sql`
        DELETE FROM sessions
        WHERE expires_at <= now()
           OR (kind = 'bearer' AND last_seen_at <= now() - make_interval(hours => ${opts.bearerIdleHours}))
        RETURNING token_hash`);
      return rows.map((r) => r.token_hash);
    },

    async logout(token: string): Promise<void> {
      await database.query(sql`DELETE FROM sessions WHERE token_hash = ${tokenHash(token)}`);
    },

    /** Ends every session of a user (sign out everywhere); how many there were. */
    async logoutEverywhere(userId: string): Promise<number> {
      const rows = await database.query<{ token_hash: string }>(
        sql`DELETE FROM sessions WHERE user_id = ${userId}::uuid RETURNING token_hash`,
      );
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
