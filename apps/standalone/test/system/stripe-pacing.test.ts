/**
 * Decision 0920: the processes that call Stripe for one account share its request budget through
 * PostgreSQL, so together they stay under the account's rate limit instead of meeting its 429s.
 * Two "processes" here: two database pools on one schema, each with its own gateway factory.
 */
import { randomBytes } from 'node:crypto';
import { Secret } from '@payrail/domain';
import { type Database, openDatabase } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
let second: Database;
let emulator: RunningEmulator;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'pacing' });
  second = await openDatabase({
    url: db.url,
    schema: db.schema,
    queueSchema: db.queue.schema,
    embedded: db.embedded,
    secretBox: db.secretBox,
    queueMaintenance: false,
  });
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.stop();
  await second?.close();
  await db?.dispose();
});

/** Each pool's gateway for one account, as the API and a worker would each build it. */
function gatewaysFor(secretKey: string, testPerSecond: number) {
  return [db, second].map((database) =>
    new StripeGatewayFactory({
      apiBase: emulator.url,
      // One try: a 429 comes back as an error instead of being waited out.
      rateLimitRetry: { maxAttempts: 1 },
      pacing: { budget: database.stripeRequests, testPerSecond },
    }).forConnection({ connectionId: null, secretKey: new Secret(secretKey) }),
  );
}

async function burst(testPerSecond: number, requests: number) {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const gateways = gatewaysFor(secretKey, testPerSecond);
  const results = await Promise.all(
    Array.from({ length: requests }, (_, n) =>
      gateways[n % 2]?.createCustomer({
        name: `Customer ${n}`,
        email: null,
        phone: null,
        address: { line1: null, line2: null, city: null, state: null, zipcode: null, country: null },
        metadata: { lago_customer_id: `id-${n}`, customer_id: `c-${n}` },
        idempotencyKey: `pacing-${n}`,
      }),
    ),
  );
  return results.filter((r) => !r?.ok).map((r) => (r && !r.ok ? r.error.code : 'missing'));
}

describe('one account, two processes, one rate limit', () => {
  it("keeps both processes' requests under the account's limit: no 429", async () => {
    await emulator.controls.setRateLimit(25);
    try {
      expect(await burst(25, 60)).toEqual([]);
      expect(await emulator.controls.rateLimit()).toMatchObject({ admitted: 60, refused: 0 });
    } finally {
      await emulator.controls.setRateLimit(null);
    }
  });

  it('unpaced (0), the same burst meets the limit', async () => {
    await emulator.controls.setRateLimit(25);
    try {
      const failed = await burst(0, 60);
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed)).toEqual(new Set(['retryable']));
      expect((await emulator.controls.rateLimit()).refused).toBe(failed.length);
    } finally {
      await emulator.controls.setRateLimit(null);
    }
  });
});
