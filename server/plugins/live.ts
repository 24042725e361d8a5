/**
 * Live push over Socket.IO. A client connects with the last sequence it saw and a scope
 * (county, war zone, township, incident); it first receives, in order, every event it
 * missed from the database — also across a server restart — then `replay:done`, then live
 * events. Events published while its replay runs are held and sent after it, so none is
 * lost between the replay query and joining the room; the client drops any repeat by seq.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import type { Actor } from '../domain/access.ts';
import {
  type ClientToServerEvents,
  type CrewLive,
  type IncidentEvent,
  type LiveHandshake,
  type LiveScope,
  roomOf,
  roomsOf,
  type ServerToClientEvents,
} from '../domain/live-events.ts';
import { SESSION_COOKIE } from './auth.ts';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface Live {
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Push committed events to every room of their incident. */
  publish(events: IncidentEvent[]): void;
  /** Push a crew's current status and position to the county and its township. */
  publishCrew(crew: CrewLive): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: Live;
  }
}

/** Cookie header → the session token, if any. */
function sessionCookie(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

/**
 * The room a signed-in user may follow: a commander sees his own area whatever he asks for
 * (county-wide roles anything). Anonymous viewers keep what they asked, as the HTTP reads do.
 */
async function allowedScope(
  app: FastifyInstance,
  actor: Actor | null,
  asked: LiveScope,
): Promise<LiveScope> {
  if (!actor || ['county_command', 'supervisor', 'viewer'].includes(actor.role)) return asked;
  const own: LiveScope | null =
    actor.role === 'war_zone_commander' && actor.warZoneId !== null
      ? { kind: 'war_zone', id: actor.warZoneId }
      : actor.townshipCode
        ? { kind: 'township', code: actor.townshipCode }
        : null;
  if (!own) return { kind: 'incident', id: '00000000-0000-0000-0000-000000000000' };
  if (asked.kind === 'incident') {
    const inc = await app.incidentsRepository.get(asked.id);
    const inside =
      inc &&
      (own.kind === 'war_zone'
        ? inc.warZoneId === own.id
        : inc.townshipCode === (own as { code: string }).code);
    return inside ? asked : own;
  }
  if (asked.kind === 'township' && own.kind === 'war_zone') {
    const zones = await app.cardsRepository.warZones();
    const zone = zones.find((z) => z.id === own.id);
    return zone?.townships.some((t) => t.code === asked.code) ? asked : own;
  }
  return own;
}

function parseHandshake(auth: unknown): { lastSeq: number; scope: LiveScope } | string {
  const a = (auth ?? {}) as LiveHandshake;
  const lastSeq = a.lastSeq ?? 0;
  if (!Number.isSafeInteger(lastSeq) || lastSeq < 0)
    return 'lastSeq must be a non-negative integer';
  const scope = a.scope ?? { kind: 'county' };
  switch (scope.kind) {
    case 'county':
      return { lastSeq, scope };
    case 'war_zone':
      return Number.isSafeInteger(scope.id) && scope.id > 0
        ? { lastSeq, scope }
        : 'scope.id must be a war zone id';
    case 'township':
      return /^[0-9]{9}$/.test(String(scope.code))
        ? { lastSeq, scope }
        : 'scope.code must be a township code';
    case 'incident':
      return /^[0-9a-f-]{36}$/i.test(String(scope.id))
        ? { lastSeq, scope }
        : 'scope.id must be an incident id';
    default:
      return 'scope.kind must be county, war_zone, township or incident';
  }
}

const REPLAY_BATCH = 1000;

export default fp(
  async (app: FastifyInstance, opts: { allowedOrigins?: string[] }) => {
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(app.server, {
      path: '/socket.io',
      serveClient: false,
    });
    const allowed = new Set(opts.allowedOrigins ?? []);
    /** Sockets still replaying, with what arrived meanwhile. */
    const replaying = new Map<LiveSocket, { room: string; held: IncidentEvent[] }>();

    io.use(async (socket, next) => {
      // Browsers always send Origin: only this server's own page, or PUBLIC_URL's.
      const origin = socket.handshake.headers.origin;
      const host = socket.handshake.headers.host;
      if (origin && !allowed.has(origin)) {
        let sameHost = false;
        try {
          sameHost = new URL(origin).host === host;
        } catch {
          sameHost = false;
        }
        if (!sameHost) return next(new Error(`origin ${origin} is not allowed`));
      }
      const parsed = parseHandshake(socket.handshake.auth);
      if (typeof parsed === 'string') return next(new Error(parsed));
      const auth = (socket.handshake.auth ?? {}) as { token?: string };
      const token = auth.token ?? sessionCookie(socket.handshake.headers.cookie);
      const actor = token ? await app.usersRepository.actorForToken(token) : null;
      if (token && !actor) return next(new Error('session expired: sign in again'));
      try {
        socket.data = { ...parsed, scope: await allowedScope(app, actor, parsed.scope) };
      } catch (err) {
        return next(err as Error);
      }
      next();
    });

    io.on('connection', async (socket: LiveSocket) => {
      const { lastSeq, scope } = socket.data as { lastSeq: number; scope: LiveScope };
      const room = roomOf(scope);
      const state = { room, held: [] as IncidentEvent[] };
      replaying.set(socket, state);
      let sent = lastSeq;
      let replayed = 0;
      try {
        for (;;) {
          const batch = await app.incidentsRepository.eventsAfter(sent, scope, REPLAY_BATCH);
          for (const e of batch) socket.emit('incident:event', e);
          replayed += batch.length;
          if (batch.length > 0) sent = (batch[batch.length - 1] as IncidentEvent).seq;
          if (batch.length < REPLAY_BATCH) break;
        }
      } catch (err) {
        app.log.error({ err }, 'replay failed');
        replaying.delete(socket);
        socket.disconnect(true);
        return;
      }
      // From here on, synchronously: join, then hand over what arrived during the replay.
      replaying.delete(socket);
      if (!socket.connected) return;
      socket.join(room);
      for (const e of state.held) {
        if (e.seq > sent) {
          socket.emit('incident:event', e);
          sent = e.seq;
        }
      }
      socket.emit('replay:done', { lastSeq: sent, replayed });
    });
    io.on('connection', (socket) => socket.on('disconnect', () => replaying.delete(socket)));

    app.decorate('live', {
      io,
      publish(events) {
        for (const e of events) {
          const rooms = roomsOf(e.incident);
          io.to(rooms).emit('incident:event', e);
          for (const state of replaying.values())
            if (rooms.includes(state.room)) state.held.push(e);
        }
      },
      publishCrew(crew) {
        const rooms = ['county'];
        if (crew.townshipCode) rooms.push(`township:${crew.townshipCode}`);
        io.to(rooms).emit('crew:update', crew);
      },
    } satisfies Live);

    app.addHook('preClose', async () => {
      // Stop pushing before the database closes; clients reconnect and replay.
      // (io.close() would also close the HTTP server, which Fastify closes itself.)
      io.disconnectSockets(true);
      io.engine.close();
    });
  },
  { name: 'live', dependencies: ['incidents-repository', 'auth', 'cards-repository'] },
);
