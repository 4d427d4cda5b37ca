import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'standalone',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real PostgreSQL when DATABASE_URL is set, else one shared PGlite; a clean schema per file.
    globalSetup: ['@payrail/persistence/testing/global-setup'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
