import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'stripe-emulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real servers and child processes on a shared 2-core machine: generous limits, no timing asserts.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
