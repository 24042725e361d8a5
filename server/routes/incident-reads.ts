/**
 * Reading one incident (domain/access.ts, "Reads"): its detail — reports with who sent them,
 * notes, photos, the timeline, dispatches, orders — for those who may read it; its public
 * summary (place, state, the 10/20/30 clock) for everyone else.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mayReadIncident } from '../domain/access.ts';
import { HttpError } from '../plugins/errors.ts';
import type { IncidentsRepository } from '../repositories/incidents-repository.ts';

export type IncidentDetail = NonNullable<Awaited<ReturnType<IncidentsRepository['get']>>>;

/** The incident and whether the request may read its detail; 404 when there is none. */
export async function incidentForReader(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
): Promise<{ incident: IncidentDetail; mayRead: boolean }> {
  const incident = await app.incidentsRepository.get(id);
  if (!incident) throw new HttpError(404, `incident ${id} not found`, 'id');
  const actor = request.actor;
  if (!actor) return { incident, mayRead: false };
  const crewIds = actor.crewId
    ? (await app.dispatchRepository.ofIncident(id)).map((d) => d.crewId)
    : [];
  const reporterUserIds = incident.reports
    .map((r) => r.reporterUserId)
    .filter((u): u is string => u !== null);
  return { incident, mayRead: mayReadIncident(actor, incident, { reporterUserIds, crewIds }) };
}

/** The incident's detail, or 401 without sign-in / 403 outside the reader's area. */
export async function requireIncidentReader(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
): Promise<IncidentDetail> {
  const actor = app.requireActor(request);
  const { incident, mayRead } = await incidentForReader(app, request, id);
  if (!mayRead) throw new HttpError(403, `${actor.username} may not read this incident`, 'id');
  return incident;
}

/** What everyone may see of an incident: the summary, marked as such. */
export function publicView(incident: IncidentDetail) {
  const { reports: _reports, timeline: _timeline, ...summary } = incident;
  return { ...summary, restricted: true as const };
}
