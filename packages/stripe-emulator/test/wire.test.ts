import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useEmulator } from './harness.js';

const h = useEmulator();

async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(`${h.emu.url}${path}`, init);
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { error?: Record<string, unknown> },
  };
}

describe('authentication', () => {
  it('rejects a request without a key with 401', async () => {
    const res = await raw('/v1/customers');
    expect(res.status).toBe(401);
    expect(res.body.error?.type).toBe('invalid_request_error');
  });

  it.each(['sk_live_abcdef1234', 'sk_test_revoked_abcd', 'sk_test_invalid9876', 'pk_test_abcd', 'sk_test_'])(
    'rejects %s as Stripe does, with a masked key',
    async (key) => {
      const stripe = h.client({ key });
      const err = await stripe.customers.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      const message = (err as Stripe.errors.StripeError).message;
      expect(message).toMatch(/^Invalid API Key provided: /);
      expect(message).not.toContain(key.slice(8, -4) || '\u0000');
      expect(message.endsWith(key.slice(-4))).toBe(true);
    },
  );

  it('answers a restricted key with 403 permission errors, as a key without the rights', async () => {
    const stripe = h.client({ key: 'rk_test_restricted_wxyz' });
    const err = await stripe.customers.create({ name: 'Nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(403);
    expect((err as Stripe.errors.StripeError).message).toContain("'rk_test_****wxyz'");
    expect((err as Stripe.errors.StripeError).message).toContain('rak_customers_write');
    const read = await stripe.customers.list().catch((e: unknown) => e);
    expect(read).toBeInstanceOf(Stripe.errors.StripePermissionError);
  });

  it('accepts Basic auth with the key as user name', async () => {
    const res = await raw('/v1/customers', {
      headers: { authorization: `Basic ${Buffer.from('sk_test_basic123:').toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('keeps each secret key as its own account', async () => {
    const a = h.client();
    const b = h.client();
    const customer = await a.customers.create({ email: 'a@example.com' });
    const err = await b.customers.retrieve(customer.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(404);
    expect((await b.customers.list()).data).toHaveLength(0);
  });
});

describe('request and error shapes', () => {
  it('returns Request-Id and echoes Stripe-Version', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'x@example.com' });
    expect(customer.lastResponse.requestId).toMatch(/^req_/);
    expect(customer.lastResponse.apiVersion).toBe(Stripe.API_VERSION);
  });

  it('rejects a malformed Stripe-Version', async () => {
    const res = await raw('/v1/customers', {
      headers: { authorization: 'Bearer sk_test_v', 'stripe-version': 'latest!' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe('Invalid Stripe API version: latest!');
  });

  it('rejects unknown parameters with parameter_unknown', async () => {
    const stripe = h.client();
    const err = (await stripe.customers
      .create({ nickname: 'x' } as Stripe.CustomerCreateParams)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('parameter_unknown');
    expect(err.param).toBe('nickname');
  });

  it('rejects missing and malformed parameters', async () => {
    const stripe = h.client();
    const missing = (await stripe.paymentIntents
      .create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(missing.code).toBe('parameter_missing');
    expect(missing.param).toBe('amount');
    const res = await raw('/v1/payment_intents', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_form', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=ten&currency=usd',
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('parameter_invalid_integer');
  });

  it('answers malformed form bodies with 400, never 500', async () => {
    for (const body of ['a[b]c=1', '%E0%A4%A', '[x]=1', 'metadata=1&metadata[a]=2']) {
      const res = await raw('/v1/customers', {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk_test_form',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      expect(res.status, body).toBe(400);
    }
  });

  it('answers malformed paths and oversized bodies with 4xx', async () => {
    const auth = { authorization: 'Bearer sk_test_paths' };
    expect((await raw('/v1/customers/%E0%A4%A', { headers: auth })).status).toBe(404);
    const big = await raw('/v1/customers', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: `description=${'x'.repeat(2 * 1024 * 1024)}`,
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${h.emu.url}/checkout/%E0%A4%A`)).status).toBe(404);
    expect(
      (
        await fetch(`${h.emu.url}/_emulator/disputes/%E0%A4%A/close`, {
          method: 'POST',
          body: '{"outcome":"won"}',
        })
      ).status,
    ).toBe(404);
  });

  it('returns 404 resource_missing for unknown ids and unknown routes', async () => {
    const stripe = h.client();
    const err = (await stripe.paymentIntents
      .retrieve('pi_nope')
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('resource_missing');
    expect(err.message).toBe("No such payment_intent: 'pi_nope'");
    const res = await raw('/v1/nothing_here', { headers: { authorization: 'Bearer sk_test_x1' } });
    expect(res.status).toBe(404);
  });

  it.each([
    [
      'PaymentIntents',
      (s: Stripe) =>
        s.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_types: ['card'] } as never),
    ],
    ['SetupIntents', (s: Stripe) => s.setupIntents.create({ payment_method_types: ['card'] } as never)],
    [
      'Checkout Sessions',
      (s: Stripe) =>
        s.checkout.sessions.create({
          mode: 'setup',
          currency: 'eur',
          payment_method_types: ['card'],
        } as never),
    ],
  ])('rejects payment_method_types on %s', async (_name, call) => {
    const err = (await call(h.client()).catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('payment_method_types_no_longer_supported');
  });
});

describe('lists and expansion', () => {
  it('paginates newest first with limit, starting_after and has_more', async () => {
    const stripe = h.client();
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push((await stripe.customers.create({ email: `c${i}@example.com` })).id);
    const first = await stripe.customers.list({ limit: 2 });
    expect(first.data.map((c) => c.id)).toEqual([created[4], created[3]]);
    expect(first.has_more).toBe(true);
    const second = await stripe.customers.list({ limit: 2, starting_after: first.data[1]!.id });
    expect(second.data.map((c) => c.id)).toEqual([created[2], created[1]]);
    const all: string[] = [];
    for await (const c of stripe.customers.list({ limit: 2 })) all.push(c.id);
    expect(all).toEqual([...created].reverse());
    const bad = (await stripe.customers
      .list({ limit: 101 })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(bad.statusCode).toBe(400);
  });

  it('expands ids into objects, including inside lists', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'e@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const expanded = await stripe.customers.retrieve(customer.id, {
      expand: ['invoice_settings.default_payment_method'],
    });
    expect(
      ((expanded as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod).id,
    ).toBe(pm.id);
    const list = await stripe.paymentMethods.list({
      customer: customer.id,
      type: 'card',
      expand: ['data.customer'],
    });
    expect((list.data[0]!.customer as Stripe.Customer).email).toBe('e@example.com');
    const err = (await stripe.customers
      .retrieve(customer.id, { expand: ['nonsense'] })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(400);
  });
});
