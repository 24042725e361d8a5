/**
 * A report's intake: a resend is answered with its first result, a nearby recent report joins
 * its fire, a new fire opens an incident (and, as the second burning in its war zone, suggests
 * linkage), all in one unit of work of the incident log.
 *
 * Group commit (issue 17: writes that scale). Reports that arrive while a batch is being
 * written wait and are taken together in the next one: one transaction, one statement for each
 * read the rules need (every report's resend, nearest fire, war zone and id at once), their
 * writes and events in the same round trip as the log's tail, one commit. Every caller still
 * hears its own answer only once its report has committed, and the events keep the order the
 * reports arrived in.
 *
 * Reports whose ground overlaps (the merge cells of domain/merge-ground.ts) or that share a
 * UUID never go in one batch: the later waits for the next, so it sees the earlier's incident
 * as committed, exactly as if each had its own transaction. Across batches and across nodes
 * the same topics are held as advisory locks (incident-log.ts), as before. A second new fire
 * in a war zone counts the batch's earlier new fires there as well as the committed ones.
 *
 * A batch that fails (a statement the database refuses, or a lock it waited for longer than
 * BATCH_LOCK_WAIT) is written again report by report, side by side, each in its own
 * transaction: one bad report costs the others nothing and gets its own error, and one that
 * joins an incident someone holds waits alone. A rule's refusal (a resend with other content,
 * a place outside the county) fails that report only.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pipelined, type Step } from '../db/database.ts';
import { DomainError, IncidentConflict } from '../domain/errors.ts';
import type { IncidentEvent, IncidentEventType, IncidentSummary } from '../domain/live-events.ts';
import { mergeCells } from '../domain/merge-ground.ts';
import { type PlaceAt, placesAt } from '../repositories/areas-repository.ts';
import { exclusiveStep, type IncidentLog, type LogTx } from '../repositories/incident-log.ts';
import { summaryOf } from '../repositories/incident-summary.ts';
import type {
  IncidentsRepository,
  StoredPhoto,
  StoredReportRef,
} from '../repositories/incidents-repository.ts';

export interface ReportInput {
  clientUuid: string;
  source: 'ranger' | 'lookout' | 'public' | 'camera' | 'satellite';
  lon: number;
  lat: number;
  accuracyM: number | null;
  observedAt: Date;
  note: string | null;
  bearingDeg: number | null;
  /** Where the bearing was taken from, when the reporter gave it. */
  observer?: { lon: number; lat: number } | null;
  reporterName: string | null;
  /** The signed-in reporter, when there is one. */
  reporterUserId?: string | null;
  /** The photos recorded with the report (those kept). */
  photos: StoredPhoto[];
  /**
   * Every photo sent, kept or refused (quota, low disk): the content hash covers what the
   * reporter sent, so a resend matches its first send whichever of its photos were kept.
   * Absent → `photos`.
   */
  sentPhotos?: { sha256: string }[];
}

/** How near, in space and time, a report joins a fire already reported. */
export interface MergeSettings {
  mergeDistanceM: number;
  mergeWindowMinutes: number;
}

/** SHA-256 of what the reporter said; the same UUID with another hash is a conflict. */
export function reportContentHash(
  r: Omit<ReportInput, 'clientUuid' | 'photos'> & { photos: { sha256: string }[] },
): string {
  const canonical = JSON.stringify([
    r.source,
    Math.round(r.lon * 1e7) / 1e7,
    Math.round(r.lat * 1e7) / 1e7,
    r.accuracyM,
    r.observedAt.toISOString(),
    r.note ?? null,
    r.bearingDeg,
    r.photos.map((p) => p.sha256),
    // Only when given, so the hashes of reports made before observers existed still match.
    ...(r.observer
      ? [[Math.round(r.observer.lon * 1e7) / 1e7, Math.round(r.observer.lat * 1e7) / 1e7]]
      : []),
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** One report to take in. */
export interface ReportIntake {
  input: ReportInput;
  /** Where it lies, when the caller knows; null: found with the batch's reads (422 outside the county). */
  place: PlaceAt | null;
  actor: string;
  /**
   * The reporter is signed in. Only then may the report's observedAt start a new fire's clock
   * or move an existing one back; an anonymous report's fire starts when the server receives
   * it, and it never moves an incident's clock.
   */
  trusted: boolean;
  /**
   * A drill's simulated report (issue 14 item 3): it always opens its own incident, marked as
   * this drill in the same transaction, so no event ever shows it as a real fire.
   */
  drillId: string | null;
}

export interface ReportTaken {
  created: boolean;
  reportId: number;
  incident: IncidentSummary;
  events: IncidentEvent[];
  /** The photos the stored report holds (on a resend, those of its first send). */
  photos: StoredPhoto[];
}

/** Most reports written in one transaction. */
export const BATCH_MAX = 64;
/**
 * Most batches written at once (each on its own connection; their topics never overlap). One:
 * two or more in flight made smaller batches and cost more per report (16 callers of the
 * intake in one process: 1,106 reports/s with one, 794 with two, 738 with three, 657 with four).
 */
export const BATCHES_IN_FLIGHT = 1;

/**
 * The settings of a batch's transaction. Every statement takes its rows as one JSON parameter,
 * which the planner cannot look into: a plan made for the values costs as much as one made
 * once and finds nothing better (the nearest-fire search was planned at each bind, 1.5–3 ms a
 * batch, longer than it ran: server log, 16 writers), so the generic plans are kept. And a
 * batch waits at most BATCH_LOCK_WAIT for a lock (an incident a dispatch holds, a stretch of
 * ground another node is taking a report on): then its reports are written alone, and the one
 * that needs the busy row waits by itself instead of holding up every report of the node.
 */
const BATCH_LOCK_WAIT = '250ms';
const settingsOf = (alone: boolean): Step<void> => ({
  statement: alone
    ? sql`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`
    : sql`SELECT set_config('plan_cache_mode', 'force_generic_plan', true),
                 set_config('lock_timeout', ${BATCH_LOCK_WAIT}, true)`,
  read: () => undefined,
});

type Outcome = { taken: ReportTaken } | { refused: unknown };

interface Waiting {
  intake: ReportIntake;
  /** The advisory-lock topics its intake holds: its UUID and the ground it may merge on. */
  topics: string[];
  resolve: (taken: ReportTaken) => void;
  reject: (err: unknown) => void;
}

export function createReportIntake(
  incidents: IncidentsRepository,
  log: IncidentLog,
  merge: MergeSettings,
) {
  /** A resend: its first result, or 409 when the same UUID came with other content. */
  async function resend(
    q: LogTx,
    w: ReportIntake,
    hash: string,
    stored: StoredReportRef,
  ): Promise<ReportTaken> {
    const ofDrill = w.drillId ? await incidents.isOfDrill(q, stored.incidentId, w.drillId) : true;
    if (stored.contentHash !== hash || !ofDrill)
      throw new IncidentConflict(
        `report ${w.input.clientUuid} was already received with different content`,
        'clientUuid',
      );
    return {
      created: false,
      reportId: stored.id,
      incident: await summaryOf(q, stored.incidentId),
      events: [],
      photos: await incidents.reportPhotos(q, stored.id),
    };
  }

  /** Takes the reports in one unit of work of the log, in order; each gets its outcome. */
  async function writeBatch(batch: readonly Waiting[], alone: boolean): Promise<Outcome[]> {
    const outcomes = await log.run(async (q) => {
      const items = batch.map((w) => w.intake);
      // The time that counts for merging and for the clock: now, unless a signed-in reporter
      // (whose report queued offline may have seen the fire first) says earlier.
      const ats = items.map((it) => ({
        lon: it.input.lon,
        lat: it.input.lat,
        reportedAt: it.trusted ? it.input.observedAt : null,
        drill: it.drillId !== null,
      }));
      const unplaced = items.flatMap((it, i) => (it.place ? [] : [i]));
      // One round trip for the locks and every read the rules need; the reads run once the
      // locks are held. Then the writes, with ids chosen here, go with the log's tail.
      const [, , stored, near, located, reportIds] = await pipelined(
        q,
        settingsOf(alone),
        exclusiveStep(batch.flatMap((w) => w.topics)),
        incidents.reportsByUuid(items.map((it) => it.input.clientUuid)),
        incidents.nearestOpen(ats, merge.mergeDistanceM, merge.mergeWindowMinutes),
        placesAt(unplaced.map((i) => ats[i] as (typeof ats)[number])),
        incidents.nextReportIds(items.length),
      );
      const places = items.map((it) => it.place);
      unplaced.forEach((i, k) => {
        places[i] = located[k] as PlaceAt;
      });
      // The fires burning in the war zones where this batch may open one (a second round trip,
      // once the places are known).
      const opening = items.flatMap((it, i) =>
        near[i] || stored.has(it.input.clientUuid.toLowerCase()) ? [] : [places[i]],
      );
      const zones = [...new Set(opening.flatMap((p) => (p?.warZoneId ? [p.warZoneId] : [])))];
      const [burning] =
        zones.length > 0
          ? await pipelined(q, incidents.burningIn(zones))
          : [new Map<number, number>()];
      // The writes, one statement each for the whole batch, sent with the log's tail.
      const opened: Parameters<IncidentsRepository['insert']>[0][number][] = [];
      const joined: { id: string; reportedAt: Date | null }[] = [];
      const drills: { incidentId: string; drillId: string }[] = [];
      const reports: Parameters<IncidentsRepository['insertReports']>[0][number][] = [];
      /** New real fires this batch opened so far, per war zone. */
      const openedIn = new Map<number, number>();
      const out: (Outcome | Omit<ReportTaken, 'incident'>)[] = [];
      for (const [i, it] of items.entries()) {
        const { input } = it;
        const place = places[i] as PlaceAt;
        const at = ats[i] as (typeof ats)[number];
        const reportId = reportIds[i] as number;
        const hash = reportContentHash({ ...input, photos: input.sentPhotos ?? input.photos });
        const prior = stored.get(input.clientUuid.toLowerCase());
        if (!place.inCounty && !it.place) {
          out.push({
            refused: new DomainError(
              `position (${input.lon}, ${input.lat}) is outside the county`,
              'position',
              422,
            ),
          });
          continue;
        }
        if (prior) {
          out.push(
            await resend(q, it, hash, prior).then(
              (taken) => ({ taken }),
              (refused: unknown) => {
                if (refused instanceof IncidentConflict) return { refused };
                throw refused;
              },
            ),
          );
          continue;
        }
        let incidentId: string;
        let type: IncidentEventType;
        const joins = near[i] ?? null;
        if (joins) {
          incidentId = joins;
          type = 'report_added';
          joined.push({ id: incidentId, reportedAt: at.reportedAt });
        } else {
          type = 'reported';
          incidentId = crypto.randomUUID();
          opened.push({ id: incidentId, at, place });
          if (it.drillId) drills.push({ incidentId, drillId: it.drillId });
        }
        reports.push({
          id: reportId,
          row: {
            clientUuid: input.clientUuid,
            incidentId,
            source: input.source,
            observedAt: input.observedAt,
            lon: input.lon,
            lat: input.lat,
            accuracyM: input.accuracyM,
            bearingDeg: input.bearingDeg,
            observer: input.observer ?? null,
            note: input.note,
            reporterName: input.reporterName,
            reporterUserId: input.reporterUserId ?? null,
            contentHash: hash,
            gridCode: place.gridCode,
          },
          photos: input.photos,
        });
        const events: IncidentEvent[] = [
          await q.append(incidentId, type, it.actor, {
            reportId,
            clientUuid: input.clientUuid,
            source: input.source,
            location: [input.lon, input.lat],
            accuracyM: input.accuracyM,
            photos: input.photos.length,
          }),
        ];
        // A second fire burning in the same war zone: suggest war-zone linkage (战区联动). The
        // real fires count, committed and opened earlier in this batch; a drill's do not.
        const zone = place.warZoneId;
        if (type === 'reported' && zone !== null) {
          const others = (burning.get(zone) ?? 0) + (openedIn.get(zone) ?? 0);
          if (!it.drillId) openedIn.set(zone, (openedIn.get(zone) ?? 0) + 1);
          if (others > 0)
            events.push(
              await q.append(incidentId, 'escalation_suggested', 'system', {
                to: 'county',
                reason: 'second_incident_in_war_zone',
                openInWarZone: others + 1,
              }),
            );
        }
        out.push({ created: true, reportId, events, photos: input.photos });
      }
      if (opened.length > 0) q.defer(incidents.insert(opened));
      for (const d of drills) q.defer(incidents.markDrill(d.incidentId, d.drillId));
      if (joined.length > 0) q.defer(incidents.clockBack(joined));
      if (reports.length > 0) q.defer(...incidents.insertReports(reports));
      return out;
    });
    // The events' summaries were filled in when the run committed them.
    return outcomes.map((o) =>
      'refused' in o || 'taken' in o
        ? o
        : { taken: { ...o, incident: (o.events[o.events.length - 1] as IncidentEvent).incident } },
    );
  }

  const waiting: Waiting[] = [];
  /** The topics of every write under way: batches, and reports written alone. */
  const held = new Set<ReadonlySet<string>>();
  /** Batches under way. */
  let batches = 0;

  /**
   * The next batch: waiting reports in arrival order, up to BATCH_MAX, none sharing a topic
   * with a write under way or with a report before it (taken or left), so a report never
   * overtakes one it could merge with.
   */
  function nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const left: Waiting[] = [];
    const taken = new Set<string>();
    for (const topics of held) for (const t of topics) taken.add(t);
    for (const w of waiting) {
      const clash = batch.length >= BATCH_MAX || w.topics.some((t) => taken.has(t));
      (clash ? left : batch).push(w);
      for (const t of w.topics) taken.add(t);
    }
    waiting.splice(0, waiting.length, ...left);
    return batch;
  }

  function settle(w: Waiting, o: Outcome): void {
    if ('taken' in o) w.resolve(o.taken);
    else w.reject(o.refused);
  }

  /** One report in its own transaction, which waits for locks as long as any would. */
  function writeAlone(w: Waiting): void {
    const topics = new Set(w.topics);
    held.add(topics);
    void writeBatch([w], true)
      .then(
        ([o]) => settle(w, o as Outcome),
        (refused: unknown) => w.reject(refused),
      )
      .finally(() => {
        held.delete(topics);
        pump();
      });
  }

  /** Starts batches while fewer than BATCHES_IN_FLIGHT are under way. */
  function pump(): void {
    while (batches < BATCHES_IN_FLIGHT && waiting.length > 0) {
      const batch = nextBatch();
      // Everything waiting clashes with a write under way: it goes when that one is done.
      if (batch.length === 0) return;
      const topics = new Set(batch.flatMap((w) => w.topics));
      held.add(topics);
      batches++;
      void writeBatch(batch, false)
        .then(
          (outcomes) => {
            for (const [i, w] of batch.entries()) settle(w, outcomes[i] as Outcome);
          },
          // A statement refused, or a lock waited for too long: each report alone, side by
          // side (their topics never overlap), so the bad one gets its own error and the one
          // that needs a busy row holds up no other.
          () => {
            for (const w of batch) writeAlone(w);
          },
        )
        .finally(() => {
          held.delete(topics);
          batches--;
          pump();
        });
    }
  }

  return {
    /** Takes one report in; resolves once it has committed (with those written alongside). */
    submit(intake: ReportIntake): Promise<ReportTaken> {
      return new Promise<ReportTaken>((resolve, reject) => {
        const { input } = intake;
        waiting.push({
          intake,
          // One intake at a time per UUID (a resend racing its first send) and per stretch of
          // ground (two reports of one fire merge into one incident).
          topics: [
            `report:${input.clientUuid.toLowerCase()}`,
            ...mergeCells(input.lon, input.lat, merge.mergeDistanceM),
          ],
          resolve,
          reject,
        });
        pump();
      });
    },
  };
}

export type ReportIntakeQueue = ReturnType<typeof createReportIntake>;
