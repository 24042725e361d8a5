/**
 * People and their grid duties (格中定人): every grid has at least one 网格长, 护林员,
 * 向导, 村干部 and 监督员; 民间林长 help across grids.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { GRID_ROLES } from '../../domain/vocabulary.ts';
import { grids, villages } from './admin.ts';
import { oneOf } from './checks.ts';

export const people = pgTable(
  'people',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** Mobile number; shown masked unless the viewer's role may see it. */
    phone: text('phone'),
    villageCode: text('village_code').references(() => villages.code),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('people_village_idx').on(t.villageCode),
    check('people_phone_format', sql`${t.phone} ~ '^[0-9+\\- ]{5,20}$'`),
    check('people_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 64`),
  ],
);

export const gridRoles = pgTable(
  'grid_roles',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    gridCode: text('grid_code')
      .notNull()
      .references(() => grids.code, { onDelete: 'cascade' }),
    role: text('role').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.gridCode, t.role] }),
    index('grid_roles_grid_idx').on(t.gridCode),
    oneOf('grid_roles_role_check', t.role, GRID_ROLES),
  ],
);
