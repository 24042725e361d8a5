/**
 * The command page's live state: incidents loaded once over HTTP, then kept current by
 * Socket.IO. The socket reconnects on its own and sends the last sequence seen each time,
 * so the server replays whatever was missed (also across a restart); repeats are dropped by
 * sequence.
 */
import { io, type Socket } from 'socket.io-client';
import type { IncidentPage } from '../../../server/contract/incidents.ts';
import type {
  ClientToServerEvents,
  CrewLive,
  IncidentSummary,
  InspectionOverdue,
  LiveIncidentEvent,
  LiveScope,
  ServerToClientEvents,
  WarningView,
} from '../../../server/domain/live-events.ts';
import { getJson } from '../api/http.ts';
import { forCounty, inChosenCounty } from '../county-choice.ts';

export type LiveStatus = 'connecting' | 'live' | 'offline';

const PAGE = 500;
const MAX_LOADED = 2000;

export class LiveIncidents {
  readonly incidents = new Map<string, IncidentSummary>();
  /** Open incidents the server has beyond those loaded here (shown, never dropped silently). */
  unlisted = 0;
  /** Unverified anonymous incidents that fold into one flood line (server/domain/flood.ts). */
  floodThreshold = 20;
  lastSeq = 0;
  status: LiveStatus = 'connecting';
  /** Server time minus this machine's, so ages and countdowns use the server's clock. */
  clockOffsetMs = 0;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private readonly listeners = new Set<(e: LiveIncidentEvent | null, live: boolean) => void>();
  private readonly crewListeners = new Set<(c: CrewLive) => void>();

  private readonly warningListeners = new Set<(w: WarningView) => void>();
  private readonly dangerListeners = new Set<(dates: string[]) => void>();

  /** Called with each warning pushed to this page's area. */
  onWarning(fn: (w: WarningView) => void): void {
    this.warningListeners.add(fn);
  }

  /** Called when new fire danger was computed (weather arrived). */
  onDangerUpdated(fn: (dates: string[]) => void): void {
    this.dangerListeners.add(fn);
  }

  /** Called with each crew update pushed by the server. */
  onCrew(fn: (c: CrewLive) => void): void {
    this.crewListeners.add(fn);
  }
  private readonly overdueListeners = new Set<(o: InspectionOverdue) => void>();

  /** Called when an inspection of the 321 rhythm falls overdue in the viewer's area. */
  onOverdue(fn: (o: InspectionOverdue) => void): void {
    this.overdueListeners.add(fn);
  }
  private replaying = true;

  constructor(private readonly scope: LiveScope = { kind: 'county' }) {}

  /**
   * Page through every open incident: fires being fought come first, so even when a flood
   * is larger than MAX_LOADED the ones that matter are here and the rest are counted.
   */
  private async loadList(): Promise<void> {
    const t0 = Date.now();
    // Events arriving while the list loads are applied on top of it (it may predate them).
    const arrived: LiveIncidentEvent[] = [];
    this.arriving = arrived;
    const loaded = new Map<string, IncidentSummary>();
    let first: IncidentPage | null = null;
    for (let offset = 0; offset < MAX_LOADED; offset += PAGE) {
      const page: IncidentPage = await getJson<IncidentPage>(
        forCounty(`/api/incidents?open=true&limit=${PAGE}&offset=${offset}`),
      );
      if (!first) {
        first = page;
        this.clockOffsetMs = Date.parse(page.serverTime) - (t0 + Date.now()) / 2;
        this.floodThreshold = page.floodThreshold;
      }
      for (const i of page.incidents) loaded.set(i.id, i);
      this.unlisted = Math.max(0, page.total - offset - page.incidents.length);
      if (this.unlisted === 0 || page.incidents.length === 0) break;
    }
    this.arriving = null;
    this.incidents.clear();
    for (const [id, i] of loaded) this.incidents.set(id, i);
    for (const e of arrived) if (!first || e.seq > first.lastSeq) this.apply(e);
    // The list holds everything up to its lastSeq; events already seen beyond it stay seen.
    if (first) this.lastSeq = Math.max(this.lastSeq, first.lastSeq);
    this.emit(null, false);
  }

  private arriving: LiveIncidentEvent[] | null = null;

  private apply(e: LiveIncidentEvent) {
    if (e.incident.state === 'closed') this.incidents.delete(e.incidentId);
    else this.incidents.set(e.incidentId, e.incident);
  }

  async start(): Promise<void> {
    await this.loadList();
    this.socket = io({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      auth: (cb) => cb({ lastSeq: this.lastSeq, scope: this.scope }),
    });
    this.socket.on('connect', () => {
      this.replaying = true;
      this.setStatus('live');
    });
    this.socket.on('disconnect', () => this.setStatus('offline'));
    this.socket.on('connect_error', () => this.setStatus('offline'));
    this.socket.on('incident:event', (e) => {
      if (e.seq <= this.lastSeq) return;
      this.lastSeq = e.seq;
      // A province's other counties: seen (the sequence moves on), not this page's fires.
      if (!inChosenCounty(e.incident.townshipCode)) return;
      this.arriving?.push(e);
      this.apply(e);
      this.emit(e, !this.replaying);
    });
    this.socket.on('crew:update', (c) => {
      for (const fn of this.crewListeners) fn(c);
    });
    this.socket.on('supervision:overdue', (o) => {
      for (const fn of this.overdueListeners) fn(o);
    });
    this.socket.on('warning:issued', (w) => {
      for (const fn of this.warningListeners) fn(w);
    });
    this.socket.on('danger:updated', ({ dates }) => {
      for (const fn of this.dangerListeners) fn(dates);
    });
    this.socket.on('replay:done', ({ truncated }) => {
      this.replaying = false;
      // Further behind than one replay covers: only the latest events came, so the list
      // may lack changes of others; read it whole again.
      if (truncated) void this.loadList().catch(() => this.setStatus('offline'));
    });
  }

  /** Connects again so the server hears the current sign-in (its rooms, what it may see). */
  reconnect(): void {
    if (!this.socket) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Called with each event (null: a full refresh); `live` is false for replayed ones. */
  onChange(fn: (e: LiveIncidentEvent | null, live: boolean) => void): void {
    this.listeners.add(fn);
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    this.emit(null, false);
  }

  private emit(e: LiveIncidentEvent | null, live: boolean) {
    for (const fn of this.listeners) fn(e, live);
  }
}
