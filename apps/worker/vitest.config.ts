import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real PostgreSQL when DATABASE_URL is set, else one shared PGlite; a clean schema per file.
    globalSetup: ['@payrail/persistence/testing/global-setup'],
    // The end-to-end files each run a whole system (emulator, webhooks app, every worker loop); one
    // at a time keeps them from starving each other on a small machine and on PGlite's one session.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
