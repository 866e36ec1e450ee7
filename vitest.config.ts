import { defineConfig } from 'vitest/config';

/**
 * Four projects, each with its own pool and timeouts (`npx vitest run --project store`):
 * - unit: pure functions, in threads, short timeouts;
 * - store: the application and the store in the test's process, on each dialect of the run; they
 *   copy the migrated template store (test/helpers/templates.ts);
 * - e2e: the program end to end; they may copy the seeded template store;
 * - spawned: what needs a real process of the built binary (a terminal, signals), long timeouts.
 * Files are given by folder, so that a test moved between them needs no edit here.
 */
export default defineConfig({
  test: {
    // once per run: says whether the PostgreSQL half runs
    globalSetup: ['test/helpers/global-setup.ts'],
    // the store and e2e tests wait on PostgreSQL more than they compute: four workers on two
    // cores cut the run on both dialects from 6 to under 3 minutes
    maxWorkers: 4,
    // every project: each test starts on the real clock (test/helpers/clock.ts)
    setupFiles: ['test/helpers/setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'threads',
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'store',
          include: ['test/store/**/*.test.ts'],
          globalSetup: ['test/helpers/templates.ts'],
          pool: 'forks',
          // PostgreSQL on a busy 2-core machine; the kill tests give themselves more
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/templates.ts'],
          pool: 'forks',
          // in-process, but a sync of thousands of rows or PostgreSQL on a busy 2-core machine
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'spawned',
          include: ['test/spawned/**/*.test.ts'],
          globalSetup: ['test/helpers/templates.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
