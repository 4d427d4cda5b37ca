import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web-ui',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    globalSetup: ['@payrail/persistence/testing/global-setup'],
    // The browser test starts several servers and Chromium on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
