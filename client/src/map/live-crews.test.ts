import { describe, expect, it } from 'vitest';
import type { CrewLive } from '../../../server/domain/live-events.ts';
import { crewView } from './live-crews.ts';

const crew = (fixAt: string | null): CrewLive => ({
  id: 'CR-T106',
  name: '高村镇半专业扑火队',
  level: 'township',
  status: 'en_route',
  townshipCode: '431226106',
  location: [109.8, 27.87],
  fixAt,
});

describe('crews on the map', () => {
  const now = Date.parse('2026-03-15T06:10:00Z');
  it('greys a crew whose last fix is older than two minutes, and says how old', () => {
    expect(crewView(crew('2026-03-15T06:08:01Z'), now, true, '途中')).toEqual({
      stale: false,
      label: '高村镇半专业扑火队 · 途中 · 1 分钟前',
    });
    expect(crewView(crew('2026-03-15T06:07:59Z'), now, true, '途中').stale).toBe(true);
    expect(crewView(crew('2026-03-15T06:07:00Z'), now, false, 'en route').label).toBe(
      '高村镇半专业扑火队 · en route · 3 minutes ago',
    );
    expect(crewView(crew(null), now, true, '途中')).toEqual({
      stale: true,
      label: '高村镇半专业扑火队 · 途中 · —',
    });
  });
});
