/**
 * The incident log for a service's unit tests over fake repositories: each run gets a
 * transaction handle that runs no SQL (a fake row store must not need it) and records every
 * event appended, so a test sees what a refusal left unwritten.
 */
import type { TxQuery } from '../db/database.ts';
import type { IncidentLog, LogTx } from '../repositories/incident-log.ts';

export interface Appended {
  incidentId: string;
  type: string;
  actor: string;
  payload: Record<string, unknown>;
}

/** A transaction handle for fake row stores: running SQL through it is a test's mistake. */
export const noSql = (() => {
  throw new Error('a fake row store runs no SQL');
}) as unknown as TxQuery;

export function fakeLog(): { log: IncidentLog; appended: Appended[] } {
  const appended: Appended[] = [];
  const q = Object.assign(noSql, {
    append: async (incidentId: string, type: string, actor: string, payload: object) => {
      appended.push({ incidentId, type, actor, payload: payload as Record<string, unknown> });
      return { seq: appended.length, incidentId, type, actor, payload };
    },
    /** Topics held by the runs; one test runs one unit of work at a time, so none waits. */
    exclusive: async () => {},
  }) as unknown as LogTx;
  const log = { run: <T>(work: (tx: LogTx) => Promise<T>) => work(q) } as unknown as IncidentLog;
  return { log, appended };
}
