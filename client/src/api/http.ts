/**
 * The pages' one way to the server: every request of the command page, the field page, the
 * supervision page and the reach worker goes through here (a unit test finds no other fetch).
 * An answer is an Outcome: the typed value, or the refusal in the one error shape
 * (server/contract/errors.ts) with the field it names; a lost connection is status 0.
 */
import type { ErrorBody } from '../../../server/contract/errors.ts';

export type Outcome<T> =
  | { ok: true; status: number; value: T }
  | {
      ok: false;
      /** 0: no answer (offline, connection lost). */
      status: number;
      /** The refusal's body, when the server answered in the error shape. */
      error: ErrorBody | null;
      /** The field the refusal names, if any. */
      field: string | null;
      /** The server's (English) message, or HTTP <status>. */
      message: string;
    };

export interface CallOptions {
  /** A phone's bearer token, etc. (the command page signs in with its cookie). */
  headers?: Record<string, string>;
}

function isErrorBody(v: unknown): v is ErrorBody {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { message?: unknown }).message === 'string' &&
    typeof (v as { code?: unknown }).code === 'string'
  );
}

/** One request: JSON (or FormData) in, JSON out. */
export async function call<T>(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<Outcome<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
  } catch {
    return { ok: false, status: 0, error: null, field: null, message: 'offline' };
  }
  const parsed: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, status: res.status, value: parsed as T };
  const error = isErrorBody(parsed) ? parsed : null;
  return {
    ok: false,
    status: res.status,
    error,
    field: error?.field ?? null,
    message: error?.message ?? `HTTP ${res.status}`,
  };
}

export const get = <T>(url: string, opts?: CallOptions) => call<T>('GET', url, undefined, opts);
export const post = <T>(url: string, body: unknown = {}, opts?: CallOptions) =>
  call<T>('POST', url, body, opts);

/** The value, or an Error naming the URL and status (for reads a page cannot do without). */
export async function getJson<T>(url: string): Promise<T> {
  const out = await get<T>(url);
  if (!out.ok) throw new Error(`${url}: ${out.status === 0 ? 'offline' : `HTTP ${out.status}`}`);
  return out.value;
}

/** Bytes of a file the server serves (the DEM GeoTIFF). */
export async function getBytes(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}
