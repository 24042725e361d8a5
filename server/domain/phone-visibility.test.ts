import { describe, expect, it } from 'vitest';
import { maskPhone, maySeePhones, phoneFor } from './phone-visibility.ts';
import { USER_ROLES } from './vocabulary.ts';

describe('phone visibility', () => {
  it('masks the middle of a mobile number, keeping 3 + 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('861******5678');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('lets commanders and village heads see numbers, nobody else', () => {
    const visible = USER_ROLES.filter((r) => maySeePhones(r));
    expect(visible.sort()).toEqual(
      ['county_command', 'township_commander', 'village_head', 'war_zone_commander'].sort(),
    );
    expect(maySeePhones(null)).toBe(false);
  });

  it('never returns a full number to an anonymous viewer', () => {
    expect(phoneFor(null, '10000000001')).toBe('100****0001');
    expect(phoneFor('ranger', '10000000001')).toBe('100****0001');
    expect(phoneFor('county_command', '10000000001')).toBe('10000000001');
    expect(phoneFor(null, null)).toBeNull();
  });
});
