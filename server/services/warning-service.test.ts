/**
 * Issuing a warning over in-memory rows: the area (named townships or a drawn one) must be the
 * county's and the issuer's to warn, and the identifier's last digit numbers the warnings of
 * one second, ten at most. A refusal stores nothing.
 */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { TxQuery } from '../db/database.ts';
import type { NewWarning, WarningsRepository } from '../repositories/warnings-repository.ts';
import { newActor } from '../testing/factories.ts';
import { noSql } from '../testing/fake-log.ts';
import { createWarningService } from './warning-service.ts';

const GAOCUN = '431226106';
const LANLI = '431226107';
const SENDER = '43122600000000';
const NOW = new Date('2026-03-15T02:00:00Z');

/** A drawn area over Gaocun, and one over no township. */
const OVER_GAOCUN: Polygon = { type: 'Polygon', coordinates: [[[109.8, 27.8]]] };
const OVER_NOTHING: Polygon = { type: 'Polygon', coordinates: [[[0, 0]]] };

function world(issuedThisSecond = 0) {
  const stored: { codes: readonly string[]; identifier: string }[] = [];
  const rows = {
    transaction: <R>(work: (q: TxQuery) => Promise<R>) => work(noSql),
    async townshipsIn(_q: TxQuery, polygon: Polygon) {
      return polygon === OVER_GAOCUN ? [GAOCUN] : [];
    },
    async knownTownships(_q: TxQuery, codes: readonly string[]) {
      return codes.filter((c) => c === GAOCUN || c === LANLI);
    },
    async countIdentified() {
      return issuedThisSecond + stored.length;
    },
    async insert(
      _q: TxQuery,
      _input: NewWarning,
      codes: readonly string[],
      _by: string,
      identifier: string,
    ) {
      stored.push({ codes, identifier });
      return { identifier };
    },
  } as unknown as WarningsRepository;
  return { service: createWarningService(rows), stored };
}

const warning = (area: { polygon?: Polygon; townshipCodes?: readonly string[] }): NewWarning => ({
  level: 'orange',
  title: '森林火险橙色预警',
  body: '高温少雨',
  measures: null,
  polygon: area.polygon ?? null,
  onsetAt: NOW.toISOString(),
  expiresAt: '2026-03-16T02:00:00.000Z',
  townshipCodes: area.townshipCodes ? [...area.townshipCodes] : null,
});

const county = newActor('county_command');
const gaocunCmd = newActor('township_commander', { townshipCode: GAOCUN, warZoneId: 4 });

describe('issuing a warning', () => {
  it('stores the townships named, once each, in order, numbering the second’s warnings', async () => {
    const w = world();
    await w.service.issue(warning({ townshipCodes: [LANLI, GAOCUN, LANLI] }), county, SENDER, NOW);
    await w.service.issue(warning({ polygon: OVER_GAOCUN }), gaocunCmd, SENDER, NOW);
    expect(w.stored.map((s) => s.codes)).toEqual([[GAOCUN, LANLI], [GAOCUN]]);
    const [first, second] = w.stored.map((s) => s.identifier);
    expect(first?.slice(0, -1)).toBe(second?.slice(0, -1));
    expect([first?.slice(-1), second?.slice(-1)]).toEqual(['0', '1']);
  });

  it.each([
    ['a drawn area outside every township', county, { polygon: OVER_NOTHING }, 422, 'polygon'],
    [
      'a township that does not exist',
      county,
      { townshipCodes: ['431226999'] },
      422,
      'townshipCodes',
    ],
    ['another township', gaocunCmd, { townshipCodes: [GAOCUN, LANLI] }, 403, 'townshipCodes'],
    [
      'a war-zone commander',
      newActor('war_zone_commander', { warZoneId: 4 }),
      { polygon: OVER_GAOCUN },
      403,
      'polygon',
    ],
  ] as const)('refuses %s, storing nothing', async (_what, actor, area, status, field) => {
    const w = world();
    await expect(w.service.issue(warning(area), actor, SENDER, NOW)).rejects.toMatchObject({
      status,
      field,
    });
    expect(w.stored).toEqual([]);
  });

  it('refuses an eleventh warning in one second (422 naming identifier)', async () => {
    const w = world(10);
    await expect(
      w.service.issue(warning({ townshipCodes: [GAOCUN] }), county, SENDER, NOW),
    ).rejects.toMatchObject({ status: 422, field: 'identifier' });
    expect(w.stored).toEqual([]);
  });
});
