import { defineConfig } from 'vitest/config';

/**
 * Three tiers named by cost (conventions.md): unit tests beside the code; database tests
 * (`*.db.test.ts`) on the backend this run targets — DATABASE_URL set → PostGIS server,
 * else embedded PGlite; end-to-end (`scripts/e2e/*.e2e.test.ts`) through HTTP and Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['server/**/*.test.ts', 'client/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          environment: 'node',
          // The geodata tests generate and validate a whole county (~30 s and ~5 s).
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'db',
          sequence: { groupOrder: 1 },
          include: ['server/**/*.db.test.ts', 'scripts/**/*.db.test.ts'],
          globalSetup: ['server/testing/db-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite is CPU-bound WASM; two cores here.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['scripts/e2e/**/*.e2e.test.ts'],
          globalSetup: ['scripts/e2e/e2e-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
