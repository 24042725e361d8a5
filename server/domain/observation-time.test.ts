import { describe, expect, it } from 'vitest';
import { observationTimeProblem } from './observation-time.ts';

const NOW = Date.parse('2026-04-01T06:00:00Z');
const at = (iso: string) => new Date(iso);

describe('observationTimeProblem', () => {
  it('accepts now, 4 min 59 s ahead and exactly the allowed age', () => {
    expect(observationTimeProblem(at('2026-04-01T06:00:00Z'), NOW, 72)).toBeNull();
    expect(observationTimeProblem(at('2026-04-01T06:04:59Z'), NOW, 72)).toBeNull();
    expect(observationTimeProblem(at('2026-03-29T06:00:00Z'), NOW, 72)).toBeNull();
  });
  it('refuses more than 5 minutes ahead, a time in 2099, and anything older than the setting', () => {
    expect(observationTimeProblem(at('2026-04-01T06:05:01Z'), NOW, 72)).toMatch(/future/);
    expect(observationTimeProblem(at('2099-01-01T00:00:00Z'), NOW, 72)).toMatch(/future/);
    expect(observationTimeProblem(at('2026-03-29T05:59:59Z'), NOW, 72)).toMatch(/72 hours/);
    expect(observationTimeProblem(at('1900-01-01T00:00:00Z'), NOW, 72)).toMatch(/past/);
    expect(observationTimeProblem(at('2026-04-01T01:00:00Z'), NOW, 4)).toMatch(/4 hours/);
  });
  it('refuses an invalid date', () => {
    expect(observationTimeProblem(new Date('nonsense'), NOW, 72)).toMatch(/valid/);
  });
});
