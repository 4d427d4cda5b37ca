/** Guide: "Integration setup" and "Redirect url after checkout". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Guide, newStripeKey, sessionIdOf, startGuide, submitCheckout } from './harness.js';

describe('guide: connecting Stripe', () => {
  let guide: Guide;
  beforeAll(async () => {
    guide = await startGuide();
  });
  afterAll(() => guide.stop());

  it('connects with a name, a code and a Stripe API key, and registers our webhook endpoint', async () => {
    const secretKey = 'sk_test_guide_connect_0123456789abcd';
    await guide.controls.registerKey(secretKey);
    const created = await guide.call('POST', '/stripe_connections', {
      stripe_connection: { name: 'Main account', code: 'stripe_main', secret_key: secretKey },
    });
    expect(created.status).toBe(200);
    const connection = created.body.stripe_connection;
    expect(connection).toMatchObject({
      name: 'Main account',
      code: 'stripe_main',
      success_redirect_url: null,
    });
    expect(JSON.stringify(created.body)).not.toContain(secretKey);
    expect(connection.secret_key).toMatch(/abcd$/);

    const endpoints = await guide.stripe(secretKey).webhookEndpoints.list();
    expect(endpoints.data).toHaveLength(1);
    expect(endpoints.data[0]?.url).toBe(
      `${guide.system.webhooksUrl}/webhooks/stripe/${guide.organizationId}?code=stripe_main`,
    );
    expect(endpoints.data[0]?.enabled_events).toEqual(
      expect.arrayContaining(['setup_intent.succeeded', 'payment_intent.succeeded', 'charge.dispute.closed']),
    );
  });

  it("confirms the key with Stripe: a key Stripe never issued is refused with Stripe's message, and nothing is stored", async () => {
    // Well-formed and unremarkable: only Stripe's answer tells it apart from a real key.
    const unknown = newStripeKey();
    const before = await guide.call('GET', '/stripe_connections');
    const refused = await guide.call('POST', '/stripe_connections', {
      stripe_connection: { name: 'Typo', code: 'stripe_typo', secret_key: unknown },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      status: 422,
      error: 'Unprocessable Entity',
      code: 'validation_errors',
      error_details: { secret_key: ['invalid_credentials'] },
    });
    expect(refused.body.message).toBe(`Invalid API Key provided: sk_test_****${unknown.slice(-4)}`);
    const after = await guide.call('GET', '/stripe_connections');
    expect(after.body.meta.total_count).toBe(before.body.meta.total_count);
    expect(JSON.stringify(after.body)).not.toContain('stripe_typo');

    // Once the account has issued that very key, the same request connects.
    await guide.controls.registerKey(unknown);
    const accepted = await guide.call('POST', '/stripe_connections', {
      stripe_connection: { name: 'Typo fixed', code: 'stripe_typo', secret_key: unknown },
    });
    expect(accepted.status).toBe(200);
    expect((await guide.stripe(unknown).webhookEndpoints.list()).data).toHaveLength(1);
  });

  it('refuses a key that was revoked in Stripe, and stores nothing', async () => {
    const rolled = newStripeKey();
    await guide.controls.registerKey(rolled);
    await guide.controls.revokeKey(rolled);
    const refused = await guide.call('POST', '/stripe_connections', {
      stripe_connection: { name: 'Rolled', code: 'stripe_rolled', secret_key: rolled },
    });
    expect(refused).toMatchObject({
      status: 422,
      body: { error_details: { secret_key: ['invalid_credentials'] } },
    });
    expect(JSON.stringify((await guide.call('GET', '/stripe_connections')).body)).not.toContain(
      'stripe_rolled',
    );
  });

  it.each([
    ['ftp://merchant.test/done', 'url_is_invalid'],
    ['merchant.test/done', 'url_is_invalid'],
    ['javascript:alert(1)', 'url_is_invalid'],
    ['https://', 'url_is_invalid'],
    [`https://merchant.test/${'a'.repeat(1010)}`, 'value_is_too_long'],
  ])(
    'refuses the success URL %s: it must begin with http:// or https:// and have a host (%s)',
    async (url, code) => {
      const refused = await guide.call('POST', '/stripe_connections', {
        stripe_connection: {
          name: 'Bad URL',
          code: 'stripe_bad_url',
          secret_key: 'sk_test_guide_bad_url',
          success_redirect_url: url,
        },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error_details.success_redirect_url).toEqual([code]);
    },
  );

  it('uses the success URL for new checkout links only; without one the customer stays on Stripe', async () => {
    const { code, secretKey, connection } = await guide.connect({
      successRedirectUrl: 'https://merchant.test/first',
    });
    const stripe = guide.stripe(secretKey);
    await guide.call('POST', '/customers', {
      customer: {
        external_id: 'redirect_customer',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
        },
      },
    });
    await eventually(async () => {
      const got = await guide.call('GET', '/customers/redirect_customer');
      return got.body.customer.billing_configuration.provider_customer_id ?? undefined;
    }, 'the Stripe customer');
    const checkoutUrl = async () =>
      (await guide.call('POST', '/customers/redirect_customer/checkout_url')).body.customer
        .checkout_url as string;

    const first = await checkoutUrl();
    expect((await stripe.checkout.sessions.retrieve(sessionIdOf(first))).success_url).toBe(
      'https://merchant.test/first',
    );

    const edited = await guide.call('PUT', `/stripe_connections/${connection.lago_id}`, {
      stripe_connection: { success_redirect_url: 'http://merchant.test/second' },
    });
    expect(edited.status).toBe(200);
    const second = await checkoutUrl();
    expect((await stripe.checkout.sessions.retrieve(sessionIdOf(second))).success_url).toBe(
      'http://merchant.test/second',
    );
    expect((await stripe.checkout.sessions.retrieve(sessionIdOf(first))).success_url).toBe(
      'https://merchant.test/first',
    );

    const deleted = await guide.call('PUT', `/stripe_connections/${connection.lago_id}`, {
      stripe_connection: { success_redirect_url: null },
    });
    expect(deleted.body.stripe_connection.success_redirect_url).toBeNull();
    const third = await checkoutUrl();
    expect((await stripe.checkout.sessions.retrieve(sessionIdOf(third))).success_url).toBeNull();

    // Completing the links: the older one still redirects where it was created to; the newest
    // one, without a URL, leaves the customer on Stripe's own page.
    const viaSecond = await submitCheckout(second, 'card_visa');
    expect(viaSecond.status).toBe(303);
    expect(viaSecond.location).toBe('http://merchant.test/second');
    const viaThird = await submitCheckout(third, 'card_visa');
    expect(viaThird.status).toBe(200);
    expect(viaThird.location).toBeNull();
  });
});
