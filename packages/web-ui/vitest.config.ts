import { defineProject } from 'vitest/config';

export default defineProject({
  // The pages against the real API and the whole system are tested in apps/standalone/test/ui.
  test: { name: 'web-ui', include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'] },
});
