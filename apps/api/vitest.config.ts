import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real PostgreSQL with DATABASE_URL, otherwise one shared PGlite; each file gets its own schema.
    globalSetup: ['@payrail/persistence/testing/global-setup'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
