import { describe, expect, it } from 'vitest';
import { incidentConfidence } from './confidence.ts';

describe('incident confidence from its sources', () => {
  it('a camera alone is to verify, however often it posts', () => {
    const cam = { source: 'camera' as const, by: 'CAM-1' };
    expect(incidentConfidence([cam])).toBe('to_verify');
    expect(incidentConfidence([cam, cam, cam])).toBe('to_verify');
  });
  it('two cameras, or a villager, make it probable; trained eyes or a villager and a camera, likely', () => {
    expect(
      incidentConfidence([
        { source: 'camera', by: 'CAM-1' },
        { source: 'camera', by: 'CAM-2' },
      ]),
    ).toBe('probable');
    expect(incidentConfidence([{ source: 'public', by: null }])).toBe('probable');
    expect(
      incidentConfidence([
        { source: 'public', by: null },
        { source: 'camera', by: 'CAM-1' },
      ]),
    ).toBe('likely');
    expect(incidentConfidence([{ source: 'lookout', by: 'lookout' }])).toBe('likely');
    expect(incidentConfidence([{ source: 'ranger', by: 'ranger' }])).toBe('likely');
  });
});
