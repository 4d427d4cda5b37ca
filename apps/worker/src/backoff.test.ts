import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 100, maxMs: 5_000 };

  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [6, 3_200],
    [7, 5_000],
    [30, 5_000],
  ])('caps attempt %i at %i ms', (attempt, ceiling) => {
    expect(backoffDelayMs(policy, attempt, () => 1)).toBe(ceiling);
    expect(backoffDelayMs(policy, attempt, () => 0)).toBe(0);
  });

  it('stays within the ceiling for any jitter', () => {
    for (let i = 0; i < 100; i++) {
      const d = backoffDelayMs(policy, 4);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('rejects a non-positive attempt', () => {
    expect(() => backoffDelayMs(policy, 0)).toThrow(RangeError);
  });
});
