import { describe, expect, it } from 'vitest';
import readme from '../README.md?raw';
import { createTestContext } from '../src/testing/index.js';
import { readmeExample } from './readme-example.js';
import source from './readme-example.ts?raw';

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`markers ${start}/${end} not found`);
  return text
    .slice(from + start.length, to)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

describe('README example', () => {
  it('runs: the invoice is charged once and paid', async () => {
    const t = createTestContext();
    const collected = await readmeExample(t.store, t.gateway, t.organization.id);
    expect(collected).toMatchObject({
      ok: true,
      value: {
        outcome: 'attempted',
        payment: { status: 'succeeded' },
        invoice: { payment: { status: 'succeeded' } },
      },
    });
    expect(t.gateway.intents.size).toBe(1);
  });

  it('is the code shown in the README', () => {
    expect(between(readme, '// example:start', '// example:end')).toBe(
      between(source, '// example:start', '// example:end'),
    );
  });
});
