/**
 * Who may read a person's phone number. Rosters (格中定人) carry the mobile of every grid
 * head, ranger, guide and cadre; commanders need them to call, everyone else sees them masked
 * (138****5678), as personal data is handled in Chinese government systems.
 */
import type { UserRole } from './vocabulary.ts';

/** Roles that direct people on the ground and so may call them. */
export const PHONE_VISIBLE_ROLES: ReadonlySet<UserRole> = new Set([
  'county_command',
  'war_zone_commander',
  'township_commander',
  'village_head',
]);

export function maySeePhones(role: UserRole | null): boolean {
  return role !== null && PHONE_VISIBLE_ROLES.has(role);
}

/** Keeps the first three and last four digits: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function phoneFor(role: UserRole | null, phone: string | null): string | null {
  if (phone === null) return null;
  return maySeePhones(role) ? phone : maskPhone(phone);
}
