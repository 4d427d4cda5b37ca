import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'persistence',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Other packages reference the compiled file: '@payrail/persistence/testing/global-setup'.
    globalSetup: ['./src/testing/global-setup.ts'],
    // Each file works in its own schemas, so files run in parallel; PGlite serialises their
    // transactions, which makes some waits long on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
