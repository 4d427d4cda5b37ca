import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'lago-wire', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
