/**
 * Publicity 宣传 (domain.md: 100% publicity; issue 14 item 4): per village, the share of
 * households visited, of fire-safety pledges 防火承诺书 signed and of people aware in the
 * awareness checks, each against 100%. A village's standing is its latest record: coverage
 * is a state, not a sum of visits.
 */

export interface PublicityRecord {
  villageCode: string;
  recordedOn: string;
  householdsTotal: number;
  householdsVisited: number;
  pledgesSigned: number;
  awarePersons: number | null;
  surveyedPersons: number | null;
}

export interface VillageCoverage {
  villageCode: string;
  recordedOn: string | null;
  visitRate: number | null;
  pledgeRate: number | null;
  awarenessRate: number | null;
  /** All three at 100% (awareness counts only where it was checked). */
  complete: boolean;
}

const share = (n: number | null, of: number | null) =>
  n === null || of === null || of === 0 ? null : n / of;

/** One entry per village given; the latest record of each (later day, later in the list). */
export function coverage(
  villageCodes: readonly string[],
  records: readonly PublicityRecord[],
): VillageCoverage[] {
  const latest = new Map<string, PublicityRecord>();
  for (const r of records) {
    const seen = latest.get(r.villageCode);
    if (!seen || r.recordedOn >= seen.recordedOn) latest.set(r.villageCode, r);
  }
  return villageCodes.map((code) => {
    const r = latest.get(code);
    if (!r)
      return {
        villageCode: code,
        recordedOn: null,
        visitRate: null,
        pledgeRate: null,
        awarenessRate: null,
        complete: false,
      };
    const visitRate = share(r.householdsVisited, r.householdsTotal);
    const pledgeRate = share(r.pledgesSigned, r.householdsTotal);
    const awarenessRate = share(r.awarePersons, r.surveyedPersons);
    return {
      villageCode: code,
      recordedOn: r.recordedOn,
      visitRate,
      pledgeRate,
      awarenessRate,
      complete:
        visitRate === 1 && pledgeRate === 1 && (awarenessRate === null || awarenessRate === 1),
    };
  });
}
