import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

const account = () => `acct_${Math.random().toString(36).slice(2)}`;

// One request a second: the callers' own timing (well under a second) cannot blur whole slots.
const slots = (waits: readonly number[]) => waits.map((w) => Math.ceil(w / 1000) + 0).sort((x, y) => x - y);

describe('the Stripe request budget', () => {
  it('lets a quiet account go at once, then books one slot per interval', async () => {
    const a = account();
    const rate = { perSecond: 1, burst: 1 };
    expect(await db.stripeRequests.reserve(a, rate)).toBeLessThanOrEqual(0);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await db.stripeRequests.reserve(a, rate));
    expect(slots(waits)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets a burst go at once and queues what follows it', async () => {
    const a = account();
    const waits = await Promise.all(
      Array.from({ length: 6 }, () => db.stripeRequests.reserve(a, { perSecond: 1, burst: 3 })),
    );
    expect(waits.filter((w) => w <= 0)).toHaveLength(3);
    expect(slots(waits).slice(3)).toEqual([1, 2, 3]);
  });

  it('gives concurrent callers distinct slots and keeps accounts apart', async () => {
    const rate = { perSecond: 1, burst: 1 };
    const [a, b] = [account(), account()];
    const [fromA, fromB] = await Promise.all(
      [a, b].map((acct) =>
        Promise.all(Array.from({ length: 20 }, () => db.stripeRequests.reserve(acct, rate))),
      ),
    );
    const expected = Array.from({ length: 20 }, (_, k) => k);
    expect(slots(fromA as number[])).toEqual(expected);
    expect(slots(fromB as number[])).toEqual(expected);
  });

  it('never books a caller more than 30 seconds ahead, whatever the rate was', async () => {
    const a = account();
    const slow = { perSecond: 0.01, burst: 1 };
    await db.stripeRequests.reserve(a, slow);
    for (let i = 0; i < 3; i++) expect(await db.stripeRequests.reserve(a, slow)).toBeLessThanOrEqual(30_000);
    // A raised limit takes effect from the capped booking, not from hours ahead.
    expect(await db.stripeRequests.reserve(a, { perSecond: 100, burst: 1 })).toBeLessThanOrEqual(30_010);
  });
});
