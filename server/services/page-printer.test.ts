/**
 * The PDF printer's queue is bounded: a burst of PDF requests costs a few renders, not one
 * Chromium launch per request queued for minutes. A session waits for one render at a time
 * (429), the printer holds MAX_PENDING_RENDERS in all (503); both name the request's field,
 * and a finished or failed render frees its place. No browser: the render is a stand-in.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../plugins/errors.ts';
import { MAX_PENDING_RENDERS, PagePrinter, type Sheet } from './combat-map-pdf.ts';

/** A printer whose renders finish (or fail) when the test says. */
class HeldPrinter extends PagePrinter {
  readonly held: { page: string; finish: () => void; fail: () => void }[] = [];
  constructor() {
    super('/nonexistent/chromium');
  }
  protected override printNow(_base: string, page: string, _sheet: Sheet): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.held.push({
        page,
        finish: () => resolve(Buffer.from(`%PDF ${page}`)),
        fail: () => reject(new Error(`page ${page} failed`)),
      });
    });
  }
}

const session = (token: string) => ({ cookieName: 'sid', token });
const BASE = 'http://127.0.0.1:1';
const settle = () => new Promise((r) => setTimeout(r, 0));

async function refusal(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('the PDF printer queue', () => {
  it('refuses a second PDF from a session whose first is still printing: 429 naming the field', async () => {
    const printer = new HeldPrinter();
    const first = printer.print(BASE, '/a', 'A4-portrait', session('s1'), 'id');
    const err = await refusal(printer.print(BASE, '/b', 'A4-portrait', session('s1'), 'id'));
    expect(err.statusCode).toBe(429);
    expect(err.field).toBe('id');
    // Told when to ask again: after the render ahead of it (seconds, as Retry-After).
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    await settle();
    printer.held[0]?.finish();
    expect((await first).toString()).toBe('%PDF /a');
    // Once printed, the same session may ask again.
    const again = printer.print(BASE, '/c', 'A4-portrait', session('s1'), 'id');
    await settle();
    printer.held[1]?.finish();
    expect((await again).toString()).toBe('%PDF /c');
  });

  it(`holds ${MAX_PENDING_RENDERS} renders in all; one more is 503 naming the field, and a failed render frees its place`, async () => {
    const printer = new HeldPrinter();
    const jobs = Array.from({ length: MAX_PENDING_RENDERS }, (_, i) =>
      printer.print(BASE, `/p${i}`, 'A4-landscape', session(`s${i}`), 'code'),
    );
    const err = await refusal(
      printer.print(BASE, '/over', 'A4-landscape', session('other'), 'code'),
    );
    expect(err.statusCode).toBe(503);
    expect(err.field).toBe('code');
    expect(err.retryAfterSeconds).toBe(60);
    // One render at a time: only the first has started.
    await settle();
    expect(printer.held.map((h) => h.page)).toEqual(['/p0']);
    printer.held[0]?.fail();
    await expect(jobs[0]).rejects.toThrow('/p0 failed');
    // The failed render's place is free again; the queue goes on with the next.
    const late = printer.print(BASE, '/late', 'A4-landscape', session('late'), 'code');
    for (let i = 1; i <= MAX_PENDING_RENDERS; i++) {
      await settle();
      printer.held[i]?.finish();
    }
    await Promise.all(jobs.slice(1));
    expect((await late).toString()).toBe('%PDF /late');
  });
});
