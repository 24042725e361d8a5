/**
 * Live push over Socket.IO. A client connects with the last sequence it saw and a scope
 * (county, war zone, township, incident); it first receives, in order, every event it
 * missed from the database — also across a server restart — then `replay:done`, then live
 * events. Events published while its replay runs are held and sent after it, so none is
 * lost between the replay query and joining the room; the client drops any repeat by seq.
 *
 * Who hears what (domain/access.ts, "Reads"): commanders and the county-wide readers join
 * their area's room and receive events whole; everyone else (no sign-in, rangers, village
 * heads, lookouts) joins the public twin of the room (`public:…`) and receives each event
 * without its actor and with only the payload fields the public summary already shows. A
 * crew's phone joins the rooms of the incidents it serves — sent there, or linked in when the
 * fire is raised to county level in its war zone (战区联动) — at connection and the moment
 * that happens; so does every township commander of that war zone.
 *
 * A replay is paged, bounded per connection (REPLAY_MAX_EVENTS; beyond it the latest events and
 * `truncated`, so the client reloads its list) and limited to two sockets at a time.
 *
 * Events reach sockets in sequence order (in-seq-order.ts): clients drop anything at or below
 * the last sequence they saw, so one that overtook an earlier one is held for it briefly.
 *
 * Several nodes (REDIS_URL set): Socket.IO runs on the Redis streams adapter, and committed
 * incident events reach every node through LiveRelay, each node delivering them to its own
 * sockets by the rules above. Without REDIS_URL one process needs neither.
 */
import crypto from 'node:crypto';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import { hearsWholeEvents, liveScopeFor, publicEventView } from '../domain/access.ts';
import {
  type ClientToServerEvents,
  type CrewLive,
  type IncidentEvent,
  type InspectionOverdue,
  incidentRoom,
  type LiveHandshake,
  type LiveIncidentEvent,
  type LiveScope,
  roomOf,
  roomsOf,
  type ServerToClientEvents,
  type WarningView,
} from '../domain/live-events.ts';
import { SESSION_COOKIE } from './auth.ts';
import { HttpError } from './errors.ts';
import { InSeqOrder } from './in-seq-order.ts';
import { LiveRelay } from './live-relay.ts';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface Live {
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Push committed events to every room of their incident. */
  publish(events: IncidentEvent[]): void;
  /** Push a crew's current status and position to the county and its township. */
  publishCrew(crew: CrewLive): void;
  /** Tell the county, war zone and township that an inspection is overdue (321 rhythm). */
  publishOverdue(overdue: InspectionOverdue): void;
  /** Push a warning to every page of its area: county, its war zones and townships (public too). */
  publishWarning(warning: WarningView, warZoneIds: readonly number[]): void;
  /** Disconnect every socket opened with this session token (on every node). */
  endSession(token: string): void;
  /** Disconnect the sockets of sessions ended by their token hashes (expiry, idle). */
  endSessionHashes(tokenHashes: string[]): void;
  /** Disconnect every socket of this user (sign out everywhere). */
  endUser(userId: string): void;
}

/** Rooms a signed-in socket also sits in, so logging out can reach it. */
const sessionRoom = (token: string) =>
  `session:${crypto.createHash('sha256').update(token).digest('hex')}`;
const userRoom = (userId: string) => `user:${userId}`;

declare module 'fastify' {
  interface FastifyInstance {
    live: Live;
  }
}

interface SocketData {
  /** The session and user rooms of a signed-in socket (see endSession, endUser). */
  signedIn: string[];
  lastSeq: number;
  scope: LiveScope;
  /** Receives events whole (else their public copies). */
  whole: boolean;
  crew: { id: string; level: string; warZoneId: number | null } | null;
  /** A township commander's war zone: he joins its fires raised to county level. */
  linkZone: number | null;
}

const publicRoom = (room: string) => `public:${room}`;

/** Cookie header → the session token, if any. */
function sessionCookie(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
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

/**
 * Replay is bounded in cost (issue 18): pages of REPLAY_PAGE events with the event loop
 * yielded between them, at most REPLAYS_AT_ONCE sockets querying the log at a time (50
 * reconnecting at once queue here, not in front of a ranger's report at the database), and
 * at most `replayMaxEvents` per connection — a socket further behind gets the latest ones and
 * `truncated`, and reloads the incident list over HTTP.
 */
const REPLAY_PAGE = 200;
const REPLAYS_AT_ONCE = 2;
export const DEFAULT_REPLAY_MAX_EVENTS = 2000;

/** A counting semaphore: run() waits for one of `n` places. */
function limiter(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Three connections: the adapter's, and the relay's writer and blocking reader. */
async function connectRedis(app: FastifyInstance, url: string) {
  const make = async (name: string) => {
    const c = createClient({ url, name });
    c.on('error', (err) => app.log.warn({ err, client: name }, 'redis connection error'));
    await c.connect();
    return c;
  };
  return {
    adapter: await make('fire-socketio'),
    writer: await make('fire-relay-writer'),
    reader: await make('fire-relay-reader'),
  };
}

export default fp(
  async (
    app: FastifyInstance,
    opts: {
      allowedOrigins?: string[];
      redisUrl?: string;
      redisPrefix?: string;
      /** Most events one connection is replayed (REPLAY_MAX_EVENTS). */
      replayMaxEvents?: number;
    },
  ) => {
    const replayMax = opts.replayMaxEvents ?? DEFAULT_REPLAY_MAX_EVENTS;
    const replaySlot = limiter(REPLAYS_AT_ONCE);
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(app.server, {
      path: '/socket.io',
      serveClient: false,
    });
    const redis = opts.redisUrl ? await connectRedis(app, opts.redisUrl) : null;
    // Keys and channels are prefixed, so deployments (and test runs) can share one Redis.
    const prefix = opts.redisPrefix ?? 'fire';
    if (redis)
      io.adapter(
        createAdapter(redis.adapter, {
          streamName: `${prefix}:socket.io`,
          channelPrefix: `${prefix}:socket.io`,
        }),
      );
    const allowed = new Set(opts.allowedOrigins ?? []);
    /**
     * Sockets still replaying, with what arrived meanwhile, and the incident rooms a dispatch
     * or a raise linked them to meanwhile (joined at the hand-over, so that no event reaches
     * the socket through them before the replay's older ones).
     */
    const replaying = new Map<
      LiveSocket,
      { room: string; whole: boolean; held: LiveIncidentEvent[]; linked: Set<string> }
    >();

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
      try {
        const actor = token ? await app.usersRepository.actorForToken(token) : null;
        if (token && !actor) return next(new Error('session expired: sign in again'));
        const crewPlace = actor?.crewId
          ? await app.dispatchRepository.crewPlace(actor.crewId)
          : null;
        socket.data = {
          ...parsed,
          signedIn: actor && token ? [sessionRoom(token), userRoom(actor.id)] : [],
          scope: await liveScopeFor(actor, parsed.scope, {
            linkedIncidents: (crewId) => app.dispatchRepository.linkedIncidents(crewId),
            incidentPlace: (id) => app.incidentsRepository.get(id),
            townshipsOf: async (warZoneId) =>
              (
                (await app.cardsRepository.warZones()).find((z) => z.id === warZoneId)?.townships ??
                []
              ).map((t) => t.code),
          }),
          whole: hearsWholeEvents(actor),
          crew: actor?.crewId && crewPlace ? { id: actor.crewId, ...crewPlace } : null,
          linkZone: actor?.role === 'township_commander' ? actor.warZoneId : null,
        } satisfies SocketData;
      } catch (err) {
        // A refusal is said as it is; anything else (a database error) is logged, and the
        // client hears only that it may try again — never SQL.
        if (err instanceof HttpError) return next(new Error(err.message));
        app.log.error({ err }, 'live connection handshake failed');
        return next(new Error('the live connection could not be opened; try again'));
      }
      next();
    });

    io.on('connection', async (socket: LiveSocket) => {
      const { lastSeq, scope, whole, crew, linkZone, signedIn } = socket.data as SocketData;
      // Joined at once: a logout during the replay must still reach this socket.
      socket.join(signedIn);
      const room = whole ? roomOf(scope) : publicRoom(roomOf(scope));
      const state = { room, whole, held: [] as LiveIncidentEvent[], linked: new Set<string>() };
      replaying.set(socket, state);
      let sent = lastSeq;
      let replayed = 0;
      let truncated = false;
      try {
        await replaySlot(async () => {
          if (!socket.connected) return;
          const start = await app.incidentsRepository.replayStart(lastSeq, scope, replayMax);
          truncated = start.truncated;
          let after = start.after;
          for (;;) {
            const page = await app.incidentsRepository.eventsAfter(after, scope, REPLAY_PAGE);
            if (!socket.connected) return;
            for (const e of page) socket.emit('incident:event', whole ? e : publicEventView(e));
            replayed += page.length;
            if (page.length > 0) after = (page[page.length - 1] as IncidentEvent).seq;
            if (page.length < REPLAY_PAGE) break;
            await yieldToLoop();
          }
          sent = after;
        });
      } catch (err) {
        app.log.error({ err }, 'replay failed');
        replaying.delete(socket);
        socket.disconnect(true);
        return;
      }
      // Events the replay read that still wait in the outbox would reach the socket a second
      // time through its room: held (as replaying) until they have gone out. (An event read
      // while committed but not yet published can still come twice; clients drop repeats.)
      await sentThrough(sent);
      // Asked again after the replay (not only in liveScopeFor): a dispatch or raise made while
      // this socket connected found it in no room yet. Asked before the hand-over, so that no
      // event reaches the socket through a room before the held ones.
      const incidentRooms: string[] = [];
      if (crew)
        for (const id of await app.dispatchRepository.linkedIncidents(crew.id))
          incidentRooms.push(incidentRoom(id));
      if (linkZone !== null)
        for (const id of await app.incidentsRepository.raisedToCountyIn(linkZone))
          incidentRooms.push(incidentRoom(id));
      // From here on, synchronously: join, then hand over what arrived during the replay.
      replaying.delete(socket);
      if (!socket.connected) return;
      socket.join([room, ...incidentRooms, ...state.linked]);
      for (const e of state.held) {
        if (e.seq > sent) {
          socket.emit('incident:event', e);
          sent = e.seq;
        }
      }
      socket.emit('replay:done', { lastSeq: sent, replayed, truncated });
    });
    io.on('connection', (socket) => socket.on('disconnect', () => replaying.delete(socket)));

    /**
     * A dispatch brings the crew's phone into the incident room; a raise to county level the
     * war zone's township crews and commanders and the county's own units.
     */
    function linkCrews(e: IncidentEvent) {
      const crewId = e.type === 'crew_dispatched' ? e.payload.crewId : null;
      const linkage = e.type === 'escalated' && e.payload.to === 'county';
      if (!crewId && !linkage) return;
      const zone = e.incident.warZoneId;
      for (const socket of io.sockets.sockets.values()) {
        const data = socket.data as SocketData | undefined;
        const crew = data?.crew;
        if (
          (crew &&
            (crew.id === crewId ||
              (linkage && (crew.level === 'county' || crew.warZoneId === zone)))) ||
          (linkage && zone !== null && data?.linkZone === zone)
        ) {
          const room = incidentRoom(e.incidentId);
          const replay = replaying.get(socket);
          if (replay) replay.linked.add(room);
          else socket.join(room);
        }
      }
    }

    /** Delivers one event to this node's sockets (io.local: the other nodes do their own). */
    function deliverOne(e: IncidentEvent) {
      linkCrews(e);
      const rooms = roomsOf(e.incident);
      const publicRooms = rooms.map(publicRoom);
      io.local.to(rooms).emit('incident:event', e);
      const copy = publicEventView(e);
      io.local.to(publicRooms).emit('incident:event', copy);
      for (const state of replaying.values()) {
        if (rooms.includes(state.room) || state.linked.has(incidentRoom(e.incidentId)))
          state.held.push(e);
        else if (publicRooms.includes(state.room)) state.held.push(copy);
      }
    }
    /**
     * Events go out one per turn of the event loop, in order, with the loop's I/O in between.
     * Writing an event to a thousand sockets holds the loop for tens of milliseconds; a
     * commit's second event (the linkage suggestion beside a report) written straight after
     * would hold it as long again before anything else is read: acknowledgements, the next
     * requests. The first event of a quiet moment goes out at once; the next waits for the
     * check phase after the following poll (a setImmediate from within a setImmediate), so one
     * poll for I/O always lies between two fan-outs.
     */
    const outbox: IncidentEvent[] = [];
    let sending = false;
    /** Replays waiting for the outbox to have sent everything up to their sequence. */
    let awaitingOutbox: { seq: number; resolve: () => void }[] = [];
    const waitsFor = (seq: number) => outbox.some((e) => e.seq <= seq);
    function deliver(events: IncidentEvent[]) {
      outbox.push(...events);
      if (!sending) sendNext();
    }
    function sendNext() {
      const e = outbox.shift();
      sending = e !== undefined;
      if (e) {
        setImmediate(() => setImmediate(sendNext));
        try {
          deliverOne(e);
        } catch (err) {
          // One event that cannot be sent (e.g. malformed from another node) stops no other.
          app.log.error({ err, seq: e.seq }, 'live event could not be delivered');
        }
      }
      const waiting = awaitingOutbox;
      awaitingOutbox = [];
      for (const w of waiting) {
        if (waitsFor(w.seq)) awaitingOutbox.push(w);
        else w.resolve();
      }
    }
    /** Resolves once no event up to `seq` waits in the outbox. */
    function sentThrough(seq: number): Promise<void> | undefined {
      if (!waitsFor(seq)) return undefined;
      return new Promise((resolve) => awaitingOutbox.push({ seq, resolve }));
    }
    // Events from requests and from other nodes reach sockets in sequence order.
    const ordered = new InSeqOrder<IncidentEvent>(await app.incidentsRepository.lastSeq(), deliver);
    const relay = redis
      ? new LiveRelay(
          redis.writer,
          redis.reader,
          (events) => ordered.push(events),
          app.log,
          `${prefix}:incident-events`,
        )
      : null;
    await relay?.start();

    app.decorate('live', {
      io,
      publish(events) {
        ordered.push(events);
        relay?.publish(events);
      },
      endSession(token) {
        io.in(sessionRoom(token)).disconnectSockets(true);
      },
      endSessionHashes(tokenHashes) {
        if (tokenHashes.length > 0)
          io.in(tokenHashes.map((h) => `session:${h}`)).disconnectSockets(true);
      },
      endUser(userId) {
        io.in(userRoom(userId)).disconnectSockets(true);
      },
      publishCrew(crew) {
        const rooms = ['county'];
        if (crew.townshipCode) rooms.push(`township:${crew.townshipCode}`);
        io.to(rooms).emit('crew:update', crew);
      },
      publishOverdue(overdue) {
        const rooms = ['county', `township:${overdue.townshipCode}`];
        if (overdue.warZoneId !== null) rooms.push(`war_zone:${overdue.warZoneId}`);
        io.to(rooms).emit('supervision:overdue', overdue);
      },
      publishWarning(warning, warZoneIds) {
        // Warnings are public notices: the public twin of each room hears them whole too.
        const rooms = [
          'county',
          ...warZoneIds.map((id) => `war_zone:${id}`),
          ...warning.townshipCodes.map((c) => `township:${c}`),
        ];
        io.to([...rooms, ...rooms.map(publicRoom)]).emit('warning:issued', warning);
      },
    } satisfies Live);

    app.addHook('preClose', async () => {
      // Stop pushing before the database closes; clients reconnect and replay.
      // (io.close() would also close the HTTP server, which Fastify closes itself.)
      ordered.flush();
      while (outbox.length > 0) sendNext();
      io.disconnectSockets(true);
      io.engine.close();
      if (redis) {
        await relay?.stop();
        io.of('/').adapter.close();
        await Promise.allSettled([redis.writer.quit(), redis.reader.quit(), redis.adapter.quit()]);
      }
    });
    // What the incident log commits reaches the sockets (and the other nodes) from here.
    app.incidentLog.onCommit((events) => app.live.publish(events));
  },
  {
    name: 'live',
    dependencies: [
      'incident-log',
      'incidents-repository',
      'dispatch-repository',
      'auth',
      'cards-repository',
    ],
  },
);
