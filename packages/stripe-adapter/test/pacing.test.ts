import { describe, expect, it } from 'vitest';
import { budgetAccount, type RequestBudget, type RequestRate, rateForKey } from '../src/index.js';
import { unwrap, useEmulator } from './harness.js';

const harness = useEmulator();

/** The budget's contract kept in memory: each reservation books the next slot of its account. */
class MemoryBudget implements RequestBudget {
  readonly reservations: { account: string; rate: RequestRate }[] = [];
  readonly #next = new Map<string, number>();

  async reserve(account: string, rate: RequestRate): Promise<number> {
    this.reservations.push({ account, rate });
    const interval = 1000 / rate.perSecond;
    const now = performance.now();
    const slot = Math.max(this.#next.get(account) ?? now, now);
    this.#next.set(account, slot + interval);
    return slot - now - (rate.burst - 1) * interval;
  }
}

const customer = (n: number) => ({
  name: `Customer ${n}`,
  email: null,
  phone: null,
  address: { line1: null, line2: null, city: null, state: null, zipcode: null, country: null },
  metadata: { lago_customer_id: `id-${n}`, customer_id: `c-${n}` },
  idempotencyKey: `customer-${n}-${Math.random()}`,
});

describe('pacing each account to its rate limit', () => {
  it("paces by the key's mode: Stripe's 100/s live and 25/s test unless set, 0 for none", () => {
    expect(rateForKey('sk_live_abc', { budget: new MemoryBudget() })).toEqual({ perSecond: 100, burst: 10 });
    expect(rateForKey('rk_live_abc', { budget: new MemoryBudget() })).toEqual({ perSecond: 100, burst: 10 });
    expect(rateForKey('sk_test_abc', { budget: new MemoryBudget() })).toEqual({ perSecond: 25, burst: 3 });
    expect(rateForKey('sk_test_abc', { budget: new MemoryBudget(), testPerSecond: 40 })).toEqual({
      perSecond: 40,
      burst: 4,
    });
    expect(rateForKey('sk_test_abc', { budget: new MemoryBudget(), testPerSecond: 0 })).toBeNull();
    expect(budgetAccount('sk_test_abc')).toMatch(/^[0-9a-f]{32}$/);
    expect(budgetAccount('sk_test_abc')).not.toContain('abc');
  });

  it('takes a slot for every request sent, and sends no more than the limit allows', async () => {
    const budget = new MemoryBudget();
    const account = harness.account({ pacing: { budget, testPerSecond: 20 } });
    await harness.emulator.controls.setRateLimit(20);
    try {
      const started = performance.now();
      const created = await Promise.all(
        Array.from({ length: 30 }, (_, n) => account.gateway.createCustomer(customer(n))),
      );
      const seconds = (performance.now() - started) / 1000;
      for (const result of created) expect(unwrap(result).providerCustomerId).toMatch(/^cus_/);
      // 30 requests at 20/s with a burst of 2: the last one's slot opens 27 intervals after the first.
      expect(seconds).toBeGreaterThan(1.3);
      expect(await harness.emulator.controls.rateLimit()).toMatchObject({ admitted: 30, refused: 0 });
      expect(new Set(budget.reservations.map((r) => r.account))).toEqual(
        new Set([budgetAccount(account.secretKey)]),
      );
      expect(budget.reservations).toHaveLength(30);
    } finally {
      await harness.emulator.controls.setRateLimit(null);
    }
  });

  it('sends the request unpaced when the budget cannot be read, and says so', async () => {
    const failures: unknown[] = [];
    const account = harness.account({
      pacing: {
        budget: { reserve: () => Promise.reject(new Error('database unreachable')) },
        onBudgetError: (error) => failures.push(error),
      },
    });
    const created = await account.gateway.createCustomer(customer(1));
    expect(unwrap(created).providerCustomerId).toMatch(/^cus_/);
    expect(failures).toHaveLength(1);
    expect((failures[0] as Error).message).toBe('database unreachable');
  });
});
