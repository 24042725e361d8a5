/**
 * How much an incident's reports together say there is a fire (issue 16, item 4): the
 * product's rule, not a published scale. Trained eyes (a ranger on the ground, a lookout in
 * his tower) are believed; a camera or satellite alone — which across Hunan raised hundreds
 * of alarms for every real fire — is "to verify" until someone looks; independent sources
 * agreeing raise it.
 */
export type Confidence = 'to_verify' | 'probable' | 'likely';

export interface SourceReport {
  source: 'ranger' | 'lookout' | 'public' | 'camera' | 'satellite';
  /** Who or what reported: the camera id for camera reports, else the reporter. */
  by: string | null;
}

export function incidentConfidence(reports: readonly SourceReport[]): Confidence {
  if (reports.some((r) => r.source === 'ranger' || r.source === 'lookout')) return 'likely';
  const machines = new Set(
    reports
      .filter((r) => r.source === 'camera' || r.source === 'satellite')
      .map((r) => `${r.source}:${r.by}`),
  );
  const publicReports = reports.filter((r) => r.source === 'public').length;
  if (publicReports > 0 && machines.size > 0) return 'likely';
  if (machines.size >= 2 || publicReports > 0) return 'probable';
  return 'to_verify';
}
