/**
 * Reading one incident (domain/access.ts, "Reads"): its detail — reports with who sent them,
 * notes, photos, the timeline, dispatches, orders — for those who may read it; its public
 * summary (place, state, the 10/20/30 clock) for everyone else.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Actor, mayReadIncident } from '../domain/access.ts';
import { HttpError } from '../plugins/errors.ts';
import type { IncidentsRepository } from '../repositories/incidents-repository.ts';

/** 404 for an incident that does not exist (code incident.not_found). */
export function incidentMissing(id: string): HttpError {
  return new HttpError(404, `incident ${id} not found`, 'id', 'incident.not_found');
}

export type IncidentDetail = NonNullable<Awaited<ReturnType<IncidentsRepository['get']>>>;
type ReaderFacts = NonNullable<Awaited<ReturnType<IncidentsRepository['readerFacts']>>>;

/** May the actor read this incident's detail? A crew's link is looked up only for crews. */
async function mayRead(
  app: FastifyInstance,
  actor: Actor | null,
  id: string,
  facts: ReaderFacts,
): Promise<boolean> {
  if (!actor) return false;
  const crewIds = actor.crewId
    ? (await app.dispatchRepository.ofIncident(id)).map((d) => d.crewId)
    : [];
  return mayReadIncident(actor, facts, { reporterUserIds: facts.reporterUserIds, crewIds });
}

/** The incident and whether the request may read its detail; 404 when there is none. */
export async function incidentForReader(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
): Promise<{ incident: IncidentDetail; mayRead: boolean }> {
  const incident = await app.incidentsRepository.get(id);
  if (!incident) throw incidentMissing(id);
  const reporterUserIds = incident.reports
    .map((r) => r.reporterUserId)
    .filter((u): u is string => u !== null);
  return {
    incident,
    mayRead: await mayRead(app, request.actor, id, { ...incident, reporterUserIds }),
  };
}

/**
 * For reads of an incident's parts (photos, dispatches, command post and orders): 401 without
 * sign-in, 404 without the incident, 403 outside the reader's area.
 */
export async function requireIncidentReader(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
): Promise<void> {
  const actor = app.requireActor(request);
  const facts = await app.incidentsRepository.readerFacts(id);
  if (!facts) throw incidentMissing(id);
  if (!(await mayRead(app, actor, id, facts)))
    throw new HttpError(403, `${actor.username} may not read this incident`, 'id');
}

/** What everyone may see of an incident: the summary, marked as such. */
export function publicView(incident: IncidentDetail) {
  const { reports: _reports, timeline: _timeline, drillId: _drillId, ...summary } = incident;
  return { ...summary, restricted: true as const };
}
