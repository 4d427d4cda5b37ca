/**
 * Faults injected by the emulator: a lost response, a reset connection, rate limits, lock timeouts
 * and server errors. The invariant: however the call is retried, one attempt is one PaymentIntent.
 */
import { type CurrencyCode, parseCurrency, Secret } from '@payrail/domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { StripeResponseRecord } from '../src/index.js';
import type { CreatePaymentIntentInput } from '../src/operations/payment-intents.js';
import {
  customerWithMethod,
  type TestAccount,
  unknownKey,
  unwrap,
  unwrapErr,
  useEmulator,
} from './harness.js';

const harness = useEmulator();
const PI_PATH = '/v1/payment_intents';

afterEach(() => harness.emulator.faults.clear());

async function chargeInput(account: TestAccount): Promise<CreatePaymentIntentInput> {
  const { customerId, paymentMethodId } = await customerWithMethod(account.stripe, 'pm_card_visa');
  return {
    amountCents: 5_000,
    currency: parseCurrency('usd') as CurrencyCode,
    providerCustomerId: customerId,
    providerPaymentMethodId: paymentMethodId,
    allowedMethods: ['card'],
    description: 'Acme - Invoice ACM-002',
    returnUrl: null,
    metadata: { lago_payment_id: 'pay-2' },
    idempotencyKey: `payment-${Math.random().toString(36).slice(2)}`,
  };
}

async function paymentIntentIds(account: TestAccount): Promise<string[]> {
  return (await account.stripe.paymentIntents.list({ limit: 100 })).data.map((pi) => pi.id);
}

describe('a charge whose response is lost', () => {
  it('after an injected 500, the SDK retry replays the first result: one PaymentIntent', async () => {
    const account = harness.account({ maxNetworkRetries: 1 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'server_error_after_commit', method: 'POST', path: PI_PATH });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome.status).toBe('succeeded');
    expect(await paymentIntentIds(account)).toEqual([outcome.providerPaymentId]);
  });

  it('after an injected 500 with no SDK retry, the job retry with the same key finds the same PaymentIntent', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'server_error_after_commit', method: 'POST', path: PI_PATH });
    const first = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(first).toMatchObject({ code: 'retryable', reason: 'server_error' });
    // The charge did happen: Stripe kept it under our key.
    expect(await paymentIntentIds(account)).toHaveLength(1);
    const retried = unwrap(await account.gateway.createPaymentIntent(input));
    expect(retried.status).toBe('succeeded');
    expect(await paymentIntentIds(account)).toEqual([retried.providerPaymentId]);
  });

  it('after a connection reset, the retry reuses the key: one PaymentIntent', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'reset_after_commit', method: 'POST', path: PI_PATH });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome.status).toBe('succeeded');
    expect(await paymentIntentIds(account)).toEqual([outcome.providerPaymentId]);
  });

  it('after resets that outlast the SDK retry, the job retry with the same key finds the same PaymentIntent', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'reset_after_commit', method: 'POST', path: PI_PATH });
    // The SDK's own retry of the reset is cut off too, before it reaches the idempotency layer.
    harness.emulator.faults.add({ kind: 'reset', method: 'POST', path: PI_PATH });
    const first = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(first).toMatchObject({ code: 'retryable', reason: 'network' });
    const retried = unwrap(await account.gateway.createPaymentIntent(input));
    expect(retried.status).toBe('succeeded');
    expect(await paymentIntentIds(account)).toEqual([retried.providerPaymentId]);
  });
});

describe('two runs of the same job at once', () => {
  it('share one PaymentIntent: the second waits on the key in use, then gets the first result', async () => {
    const account = harness.account({ maxNetworkRetries: 2 });
    const input = await chargeInput(account);
    // The first request holds the idempotency key for a while; the second meets 409 key-in-use.
    harness.emulator.faults.add({ kind: 'latency', method: 'POST', path: PI_PATH, latencyMs: 300 });
    const runJob = async () => {
      for (let run = 1; ; run++) {
        const result = await account.gateway.createPaymentIntent(input);
        if (result.ok || result.error.code !== 'retryable' || run === 5) return result;
      }
    };
    const [first, second] = await Promise.all([runJob(), runJob()]);
    expect(unwrap(second).providerPaymentId).toBe(unwrap(first).providerPaymentId);
    expect(await paymentIntentIds(account)).toEqual([unwrap(first).providerPaymentId]);
  });
});

describe('rate limits and transient failures', () => {
  it('retries a 429 inside the adapter with the same idempotency key', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'rate_limit', method: 'POST', path: PI_PATH, count: 2 });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome.status).toBe('succeeded');
    expect(await paymentIntentIds(account)).toEqual([outcome.providerPaymentId]);
    expect(harness.emulator.emulator.account(account.secretKey).idempotency.has(input.idempotencyKey)).toBe(
      true,
    );
  });

  it('tells onResponse of every response, the 429s it repeated included, by operation', async () => {
    const seen: StripeResponseRecord[] = [];
    const account = harness.account({ maxNetworkRetries: 0, onResponse: (r) => seen.push(r) });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'rate_limit', method: 'POST', path: PI_PATH, count: 2 });
    unwrap(await account.gateway.createPaymentIntent(input));
    const charges = seen.filter((r) => r.operation === 'POST /v1/payment_intents');
    expect(charges.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(charges.every((r) => r.seconds >= 0 && r.seconds < 30)).toBe(true);
  });

  it('gives up after the configured tries and reports rate_limited, having charged nothing', async () => {
    const account = harness.account({ maxNetworkRetries: 0, rateLimitRetry: { maxAttempts: 3 } });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'rate_limit', method: 'POST', path: PI_PATH, count: 3 });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'retryable', reason: 'rate_limited' });
    expect(harness.emulator.faults.list()).toEqual([]);
    expect(await paymentIntentIds(account)).toEqual([]);
  });

  it('maps a lock timeout that outlasts the retries to retryable lock_timeout', async () => {
    const account = harness.account({ maxNetworkRetries: 0, rateLimitRetry: { maxAttempts: 2 } });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'lock_timeout', method: 'POST', path: PI_PATH, count: 2 });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'retryable', reason: 'lock_timeout' });
    expect(await paymentIntentIds(account)).toEqual([]);
  });

  it('maps a 500 to retryable server_error', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'server_error', method: 'POST', path: PI_PATH });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'retryable', reason: 'server_error' });
    expect(await paymentIntentIds(account)).toEqual([]);
  });

  it('maps a 409 conflict to retryable', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'conflict', method: 'POST', path: PI_PATH });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error.code).toBe('retryable');
  });

  it('maps connection resets that outlast the retries to retryable network', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'reset', method: 'POST', path: PI_PATH, count: 2 });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'retryable', reason: 'network' });
    expect(await paymentIntentIds(account)).toEqual([]);
  });

  it('maps a request that times out to retryable network', async () => {
    const account = harness.account({ maxNetworkRetries: 0, timeoutMs: 50 });
    const input = await chargeInput(account);
    harness.emulator.faults.add({ kind: 'latency', method: 'POST', path: PI_PATH, latencyMs: 500 });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'retryable', reason: 'network' });
  });
});

describe('credentials', () => {
  it('maps a key Stripe does not know to invalid_credentials with Stripe’s message', async () => {
    const account = harness.account();
    const rejected = account.factory.forConnection({
      connectionId: null,
      secretKey: new Secret(unknownKey()),
    });
    const error = unwrapErr(await rejected.listPaymentMethods({ providerCustomerId: 'cus_x' }));
    expect(error).toEqual({ code: 'invalid_credentials', message: expect.stringMatching(/Invalid API Key/) });
  });

  it('maps a key without permission (403) to invalid_credentials with Stripe’s message', async () => {
    const account = harness.account();
    // A restricted key the account issued: it authenticates, then lacks the permission.
    harness.emulator.emulator.registerKey('rk_test_narrowed_key_0000');
    const restricted = account.factory.forConnection({
      connectionId: null,
      secretKey: new Secret('rk_test_narrowed_key_0000'),
    });
    const error = unwrapErr(
      await restricted.registerWebhookEndpoint({ url: 'https://payrail.example/webhooks/stripe/org?code=c' }),
    );
    expect(error).toEqual({
      code: 'invalid_credentials',
      message: expect.stringMatching(/does not have the required permissions/),
    });
  });
});
