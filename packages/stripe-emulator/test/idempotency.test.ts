import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { customerWithCard, useEmulator } from './harness.js';

const h = useEmulator();

describe('idempotency keys', () => {
  it('replays the saved response with Idempotent-Replayed and Original-Request', async () => {
    const stripe = h.client();
    const { customer, pm } = await customerWithCard(stripe);
    const params = {
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'payment-1' });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'payment-1' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it('replays a declined attempt (402) instead of charging again', async () => {
    const stripe = h.client();
    const params = {
      amount: 2000,
      currency: 'usd',
      payment_method: 'pm_card_visa_chargeDeclined',
      confirm: true,
    };
    const a = (await stripe.paymentIntents
      .create(params, { idempotencyKey: 'd1' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    const b = (await stripe.paymentIntents
      .create(params, { idempotencyKey: 'd1' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(a).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(b.payment_intent?.id).toBe(a.payment_intent?.id);
    expect(b.headers?.['idempotent-replayed']).toBe('true');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
  });

  it('rejects the same key with other parameters', async () => {
    const stripe = h.client();
    await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'cust-1' });
    const err = await stripe.customers
      .create({ email: 'two@example.com' }, { idempotencyKey: 'cust-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((err as Stripe.errors.StripeError).message).toContain("Try using a key other than 'cust-1'");
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const stripe = h.client();
    await h.controls.injectFault({ kind: 'latency', path: '/v1/customers', latencyMs: 1500 });
    const results = await Promise.allSettled(
      [1, 2].map(() => stripe.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'busy' })),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    expect(rejected).toHaveLength(1);
    expect(fulfilled).toHaveLength(1);
    const err = (rejected[0] as PromiseRejectedResult).reason as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(409);
    expect(err.code).toBe('idempotency_key_in_use');
    const created = (fulfilled[0] as PromiseFulfilledResult<Stripe.Customer>).value;
    expect((await stripe.customers.list()).data.map((c) => c.id)).toEqual([created.id]);
  });

  it('does not save validation errors, so the key can be used once the input is fixed', async () => {
    const stripe = h.client();
    const bad = (await stripe.paymentIntents
      .create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'fixme' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(bad.code).toBe('amount_too_small');
    const fixed = await stripe.paymentIntents.create(
      { amount: 1000, currency: 'usd' },
      { idempotencyKey: 'fixme' },
    );
    expect(fixed.amount).toBe(1000);
    expect(fixed.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('scopes keys per account', async () => {
    const a = h.client();
    const b = h.client();
    const ca = await a.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'same' });
    const cb = await b.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'same' });
    expect(cb.id).not.toBe(ca.id);
  });

  it.each(['server_error_after_commit', 'reset_after_commit'] as const)(
    'a lost response (%s) retried with the same key creates one PaymentIntent',
    async (kind) => {
      const stripe = h.client({ maxNetworkRetries: 1 });
      const { customer, pm } = await customerWithCard(stripe);
      await h.controls.injectFault({ kind, method: 'POST', path: '/v1/payment_intents' });
      const pi = await stripe.paymentIntents.create(
        {
          amount: 1500,
          currency: 'usd',
          customer: customer.id,
          payment_method: pm.id,
          confirm: true,
          off_session: true,
        },
        { idempotencyKey: `lost-${kind}` },
      );
      expect(pi.status).toBe('succeeded');
      expect(pi.lastResponse.headers['idempotent-replayed']).toBe('true');
      const all = await stripe.paymentIntents.list({ customer: customer.id });
      expect(all.data.map((p) => p.id)).toEqual([pi.id]);
    },
  );

  it('the SDK retry after a pre-processing 500 runs the request once', async () => {
    const stripe = h.client({ maxNetworkRetries: 1 });
    await h.controls.injectFault({ kind: 'server_error', path: '/v1/customers' });
    const c = await stripe.customers.create({ email: 'r@example.com' });
    expect(c.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });
});
