import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'stripe-adapter', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
