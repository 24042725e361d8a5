/** The whole data model (design.md, domain.md); drizzle-kit generates migrations from it. */
export * from './admin.ts';
export * from './assets.ts';
export * from './audit.ts';
export * from './cameras.ts';
export * from './command.ts';
export * from './crews.ts';
export * from './incidents.ts';
export * from './people.ts';
export * from './supervision.ts';
export * from './terrain.ts';
export * from './users.ts';
export * from './weather.ts';
