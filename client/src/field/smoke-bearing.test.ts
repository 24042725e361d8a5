import geodesic from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SMOKE_DISTANCE_M, smokePlacement } from './smoke-bearing.ts';

const WGS84 = geodesic.Geodesic.WGS84;
const phone = { lon: 109.8, lat: 27.87, accuracyM: 12 };

describe('smokePlacement', () => {
  it('without a direction reports where the phone is, with no bearing', () => {
    expect(smokePlacement(phone, null, 800)).toEqual({
      position: { lon: 109.8, lat: 27.87, accuracyM: 12 },
    });
  });

  it('with a direction and distance places the smoke that far along the bearing (GeographicLib agrees within 0.5 %), the phone as observer', () => {
    const r = smokePlacement(phone, 60, 2400);
    const g = WGS84.Inverse(phone.lat, phone.lon, r.position.lat, r.position.lon);
    expect(Math.abs((g.s12 as number) - 2400)).toBeLessThan(12);
    expect(Math.abs((g.azi1 as number) - 60)).toBeLessThan(0.3);
    expect(r).toMatchObject({
      bearingDeg: 60,
      bearingNorth: 'magnetic',
      observer: { lon: 109.8, lat: 27.87 },
      position: { accuracyM: 600 },
    });
  });

  it('with a direction alone assumes 1 km and says the place is that uncertain', () => {
    const r = smokePlacement(phone, 200, null);
    const g = WGS84.Inverse(phone.lat, phone.lon, r.position.lat, r.position.lon);
    expect(Math.abs((g.s12 as number) - DEFAULT_SMOKE_DISTANCE_M)).toBeLessThan(5);
    expect(r.position.accuracyM).toBe(DEFAULT_SMOKE_DISTANCE_M);
  });
});
