import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'standalone', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
