/**
 * The ranger's reports, kept in IndexedDB (idb) from the moment the button is pressed until
 * the server has them. Each has its UUID from the start, so a report sent twice — the answer
 * lost on a weak signal, the page reloaded — is still one report on the server.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ReportAnswer } from '../../../server/contract/incidents.ts';
import type { ReportReceipt } from '../../../server/contract/receipts.ts';
import type { ReportBody } from '../../../server/contract/reports.ts';
import { type Outcome, post } from '../api/http.ts';

export type QueuedState = 'queued' | 'sent' | 'failed';

export interface QueuedReport {
  clientUuid: string;
  body: ReportBody;
  photo: Blob | null;
  createdAt: number;
  state: QueuedState;
  incidentId?: string;
  incidentState?: string;
  /** What became of it (GET /api/reports/{clientUuid}/receipt), as last fetched. */
  receipt?: ReportReceipt;
  error?: string;
}

interface FieldDb extends DBSchema {
  reports: { key: string; value: QueuedReport; indexes: { byCreated: number } };
}

let dbPromise: Promise<IDBPDatabase<FieldDb>> | null = null;
function db() {
  dbPromise ??= openDB<FieldDb>('field-reports', 1, {
    upgrade(d) {
      d.createObjectStore('reports', { keyPath: 'clientUuid' }).createIndex(
        'byCreated',
        'createdAt',
      );
    },
  });
  return dbPromise;
}

export async function enqueue(r: QueuedReport): Promise<void> {
  await (await db()).put('reports', r);
}

export async function all(): Promise<QueuedReport[]> {
  return (await (await db()).getAllFromIndex('reports', 'byCreated')).reverse();
}

export async function update(uuid: string, patch: Partial<QueuedReport>): Promise<void> {
  const d = await db();
  const r = await d.get('reports', uuid);
  if (r) await d.put('reports', { ...r, ...patch });
}

let flushing: Promise<void> | null = null;

/** The field page's bearer token (signed-in ranger or crew phone), if any. */
export function authHeader(): Record<string, string> {
  const token = localStorage.getItem('field-token');
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Sends every queued report, oldest first. Stops at the first network failure (still
 * offline); a 4xx marks that report failed with the server's message.
 */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      const queued = (await all()).filter((r) => r.state === 'queued').reverse();
      const send = (r: QueuedReport): Promise<Outcome<ReportAnswer>> => {
        // A public report goes without the token: it needs none, and a lapsed one must not
        // turn it away.
        const headers = r.body.source === 'public' ? {} : authHeader();
        if (!r.photo) return post<ReportAnswer>('/api/reports', r.body, { headers });
        const form = new FormData();
        form.append('report', JSON.stringify(r.body));
        form.append('photos', r.photo, 'photo');
        return post<ReportAnswer>('/api/reports', form, { headers });
      };
      for (const r of queued) {
        let res = await send(r);
        // The ranger's session lapsed on the hillside: a 401 stored nothing under this
        // UUID, so the same report goes again as a public one and still reaches the map.
        if (res.status === 401 && r.body.source !== 'public') {
          r.body = { ...r.body, source: 'public' };
          await update(r.clientUuid, { body: r.body });
          res = await send(r);
        }
        if (res.status === 0) return; // no network: try again when it returns
        if (res.ok)
          await update(r.clientUuid, {
            state: 'sent',
            incidentId: res.value.incidentId,
            incidentState: res.value.incident?.state,
          });
        else if (res.status >= 500 || res.status === 429) return;
        else await update(r.clientUuid, { state: 'failed', error: res.message });
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}
