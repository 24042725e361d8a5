/**
 * Publicity 宣传 (domain.md: 100% publicity; issue 14 item 4): per village and per grid, the
 * share of households visited, of fire-safety pledges 防火承诺书 signed and of people aware in
 * the awareness checks, each against 100%. A grid's standing is its latest record (coverage
 * is a state, not a sum of visits); a village's is the sum of its grids' standings. A village
 * that records as a whole (no grid) is one such "grid"; it records one way or the other,
 * never both (the route refuses mixing, which would count its households twice).
 */

export interface PublicityRecord {
  villageCode: string;
  /** The grid the record covers; null: the whole village. */
  gridCode: string | null;
  recordedOn: string;
  householdsTotal: number;
  householdsVisited: number;
  pledgesSigned: number;
  awarePersons: number | null;
  surveyedPersons: number | null;
}

export interface Coverage {
  /** Day of the latest record counted (YYYY-MM-DD); null without one. */
  recordedOn: string | null;
  visitRate: number | null;
  pledgeRate: number | null;
  awarenessRate: number | null;
  /** All three at 100% (awareness counts only where it was checked). */
  complete: boolean;
}

export interface VillageCoverage extends Coverage {
  villageCode: string;
}

export interface GridCoverage extends Coverage {
  gridCode: string;
  villageCode: string;
}

const share = (n: number | null, of: number | null) =>
  n === null || of === null || of === 0 ? null : n / of;

/** The latest record of each (village, grid), later day first, then later in the list. */
function latestPerGrid(records: readonly PublicityRecord[]): Map<string, PublicityRecord> {
  const latest = new Map<string, PublicityRecord>();
  for (const r of records) {
    const key = `${r.villageCode}/${r.gridCode ?? ''}`;
    const seen = latest.get(key);
    if (!seen || r.recordedOn >= seen.recordedOn) latest.set(key, r);
  }
  return latest;
}

/** The coverage of records that together stand for one area (a grid, or a village's grids). */
function standing(rs: readonly PublicityRecord[]): Coverage {
  if (rs.length === 0)
    return {
      recordedOn: null,
      visitRate: null,
      pledgeRate: null,
      awarenessRate: null,
      complete: false,
    };
  const sum = (f: (r: PublicityRecord) => number) => rs.reduce((s, r) => s + f(r), 0);
  const checked = rs.filter((r) => r.surveyedPersons !== null);
  const visitRate = share(
    sum((r) => r.householdsVisited),
    sum((r) => r.householdsTotal),
  );
  const pledgeRate = share(
    sum((r) => r.pledgesSigned),
    sum((r) => r.householdsTotal),
  );
  const awarenessRate =
    checked.length === 0
      ? null
      : share(
          checked.reduce((s, r) => s + (r.awarePersons ?? 0), 0),
          checked.reduce((s, r) => s + (r.surveyedPersons ?? 0), 0),
        );
  return {
    recordedOn:
      rs
        .map((r) => r.recordedOn)
        .sort()
        .at(-1) ?? null,
    visitRate,
    pledgeRate,
    awarenessRate,
    complete:
      visitRate === 1 && pledgeRate === 1 && (awarenessRate === null || awarenessRate === 1),
  };
}

/** One entry per village given: the sum of its grids' latest records. */
export function coverage(
  villageCodes: readonly string[],
  records: readonly PublicityRecord[],
): VillageCoverage[] {
  const byVillage = new Map<string, PublicityRecord[]>();
  for (const r of latestPerGrid(records).values())
    byVillage.set(r.villageCode, [...(byVillage.get(r.villageCode) ?? []), r]);
  return villageCodes.map((code) => ({
    villageCode: code,
    ...standing(byVillage.get(code) ?? []),
  }));
}

/** One entry per grid given: its latest record (a village's whole-village records not). */
export function gridCoverage(
  grids: readonly { gridCode: string; villageCode: string }[],
  records: readonly PublicityRecord[],
): GridCoverage[] {
  const latest = latestPerGrid(records);
  return grids.map((g) => {
    const r = latest.get(`${g.villageCode}/${g.gridCode}`);
    return { gridCode: g.gridCode, villageCode: g.villageCode, ...standing(r ? [r] : []) };
  });
}
