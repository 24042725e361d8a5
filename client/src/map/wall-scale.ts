/**
 * Larger map labels and icons for the wall (issue 19, item 7): a style property's value scaled
 * by a factor, whatever form it takes. A zoom curve may not be wrapped in ['*', …] (MapLibre
 * takes ["zoom"] only as the input of a top-level interpolate or step), so its outputs are
 * scaled instead; so are a match's or a case's branches. Pure: the input is not modified.
 */
export type StyleValue = unknown;

/** `value` × `k`, as a value MapLibre accepts where `value` was accepted. */
export function scaleStyleValue(value: StyleValue, k: number): StyleValue {
  if (typeof value === 'number') return Math.round(value * k * 100) / 100;
  if (Array.isArray(value)) {
    const [op] = value;
    if (op === 'interpolate' || op === 'interpolate-hcl' || op === 'interpolate-lab')
      // [op, curve, input, stop0, out0, stop1, out1, …]
      return value.map((v, i) => (i >= 4 && i % 2 === 0 ? scaleStyleValue(v, k) : v));
    if (op === 'step')
      // ['step', input, out0, stop1, out1, …]
      return value.map((v, i) => (i >= 2 && i % 2 === 0 ? scaleStyleValue(v, k) : v));
    if (op === 'match')
      // ['match', input, label, out, …, fallback]
      return value.map((v, i) =>
        i >= 3 && (i % 2 === 1 || i === value.length - 1) ? scaleStyleValue(v, k) : v,
      );
    if (op === 'case')
      // ['case', cond, out, …, fallback]
      return value.map((v, i) =>
        i >= 2 && (i % 2 === 0 || i === value.length - 1) ? scaleStyleValue(v, k) : v,
      );
    return ['*', value, k];
  }
  if (value && typeof value === 'object' && 'stops' in value) {
    const f = value as { stops: [unknown, number][] };
    return { ...f, stops: f.stops.map(([z, v]) => [z, scaleStyleValue(v, k)]) };
  }
  return value;
}
