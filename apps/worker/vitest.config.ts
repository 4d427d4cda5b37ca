import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real PostgreSQL when DATABASE_URL is set, else one shared PGlite; a clean schema per file.
    globalSetup: ['@payrail/persistence/testing/global-setup'],
    // The files run real worker loops and worker processes; one at a time keeps them from starving
    // each other on a small machine and on PGlite's one session. The whole system's tests are in
    // apps/standalone/test/system.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
