import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'standalone',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real PostgreSQL when DATABASE_URL is set, else one shared PGlite; a clean schema per file.
    globalSetup: ['@payrail/persistence/testing/global-setup'],
    // Most files start the whole system (and one Chromium) on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
