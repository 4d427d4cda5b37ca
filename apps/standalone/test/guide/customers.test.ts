/** Guide: "Customer information" (new and existing customers) and "Supported payment methods". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Guide, sessionIdOf, startGuide } from './harness.js';

describe('guide: customers in Stripe', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
  });
  afterAll(() => guide.stop());

  it('by default does not create the customer in Stripe', async () => {
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: 'not_synced',
        currency: 'USD',
        billing_configuration: { payment_provider: 'stripe', payment_provider_code: code },
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.customer.billing_configuration.provider_customer_id).toBeNull();
    await guide.idle();
    const all = await guide.stripe(secretKey).customers.list({ limit: 100 });
    expect(all.data.filter((c) => c.metadata.customer_id === 'not_synced')).toHaveLength(0);
  });

  it('creates a new customer in Stripe when asked to, and links it', async () => {
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: 'auto_created',
        name: 'Acme Ltd',
        email: 'billing@acme.test,ops@acme.test',
        currency: 'EUR',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: ['card', 'sepa_debit'],
        },
      },
    });
    expect(created.status).toBe(200);
    const lagoId = created.body.customer.lago_id;
    const providerCustomerId = await eventually(async () => {
      const got = await guide.call('GET', '/customers/auto_created');
      return got.body.customer.billing_configuration.provider_customer_id ?? undefined;
    }, 'the Stripe customer id');
    expect(providerCustomerId).toMatch(/^cus_/);
    const inStripe = await guide.stripe(secretKey).customers.retrieve(providerCustomerId);
    expect(inStripe).toMatchObject({ name: 'Acme Ltd', email: 'billing@acme.test' });
    expect((inStripe as { metadata: Record<string, string> }).metadata).toMatchObject({
      lago_customer_id: lagoId,
      customer_id: 'auto_created',
    });
    const announced = await eventually(
      () => guide.webhooks.find((w) => w.type === 'customer.payment_provider_created'),
      'customer.payment_provider_created',
    );
    expect(announced.body.customer.external_id).toBe('auto_created');
    const generated = await eventually(
      () =>
        guide.webhooks.find(
          (w) =>
            w.type === 'customer.checkout_url_generated' &&
            w.body.payment_provider_customer_checkout_url?.lago_customer_id === lagoId,
        ),
      'customer.checkout_url_generated for this customer',
    );
    const announcedLink = generated.body.payment_provider_customer_checkout_url;
    expect(announcedLink).toMatchObject({
      external_customer_id: 'auto_created',
      payment_provider: 'stripe',
      payment_provider_code: code,
    });
    // The URL is a live setup session of the Stripe customer the API links this customer to.
    const session = await guide
      .stripe(secretKey)
      .checkout.sessions.retrieve(sessionIdOf(announcedLink.checkout_url));
    expect(session).toMatchObject({
      mode: 'setup',
      status: 'open',
      customer: providerCustomerId,
      url: announcedLink.checkout_url,
    });
  });

  it('links an existing Stripe customer by id without creating another', async () => {
    const stripe = guide.stripe(secretKey);
    const existing = await stripe.customers.create({
      name: 'Already in Stripe',
      email: 'old@customer.test',
      phone: '+15550100',
    });
    const countBefore = (await stripe.customers.list({ limit: 100 })).data.length;
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: 'migrated',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          provider_customer_id: existing.id,
          sync_with_provider: false,
        },
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.customer.billing_configuration).toMatchObject({
      payment_provider: 'stripe',
      provider_customer_id: existing.id,
    });
    await guide.idle();
    expect((await stripe.customers.list({ limit: 100 })).data.length).toBe(countBefore);
    expect(await stripe.customers.retrieve(existing.id)).toMatchObject({
      name: 'Already in Stripe',
      email: 'old@customer.test',
      phone: '+15550100',
    });
  });

  it('pushes to a linked Stripe customer only the details Payrail holds', async () => {
    const stripe = guide.stripe(secretKey);
    const existing = await stripe.customers.create({
      name: 'Name in Stripe',
      email: 'stripe@customer.test',
      phone: '+15550101',
    });
    const linked = await guide.call('POST', '/customers', {
      customer: {
        external_id: 'linked_then_named',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          provider_customer_id: existing.id,
          sync_with_provider: false,
        },
      },
    });
    expect(linked.status).toBe(200);
    await guide.idle();
    const renamed = await guide.call('POST', '/customers', {
      customer: { external_id: 'linked_then_named', name: 'Name from Payrail' },
    });
    expect(renamed.status).toBe(200);
    await guide.idle();
    expect(await stripe.customers.retrieve(existing.id)).toMatchObject({
      name: 'Name from Payrail',
      email: 'stripe@customer.test',
      phone: '+15550101',
    });
  });

  it('offers card by default', async () => {
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: 'card_default',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
        },
      },
    });
    expect(created.body.customer.billing_configuration.provider_payment_methods).toEqual(['card']);
  });

  it.each([
    ['USD', ['sepa_debit'], 'SEPA debits are for EUR invoices only'],
    ['EUR', ['us_bank_account'], 'ACH debits are for USD invoices only'],
    ['USD', ['bacs_debit'], 'BACS debits are for GBP invoices only'],
    ['EUR', ['paypal'], 'an unknown method'],
    ['EUR', [], 'no method at all'],
  ])('refuses %s with %j: %s', async (currency, methods, _why) => {
    const refused = await guide.call('POST', '/customers', {
      customer: {
        external_id: `refused_${currency}_${methods.join('_') || 'none'}`,
        currency,
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: methods,
        },
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('validation_errors');
    expect(refused.body.error_details.provider_payment_methods).toBeDefined();
  });

  it.each([
    ['EUR', ['card', 'sepa_debit']],
    ['USD', ['card', 'us_bank_account']],
    ['GBP', ['bacs_debit']],
  ])('accepts %s with %j, and the checkout page shows only those methods', async (currency, methods) => {
    const externalId = `methods_${currency}`;
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: externalId,
        currency,
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: methods,
        },
      },
    });
    expect(created.status).toBe(200);
    await eventually(async () => {
      const got = await guide.call('GET', `/customers/${externalId}`);
      return got.body.customer.billing_configuration.provider_customer_id ?? undefined;
    }, 'the Stripe customer');
    const link = await guide.call('POST', `/customers/${externalId}/checkout_url`);
    expect(link.status).toBe(200);
    const session = await guide
      .stripe(secretKey)
      .checkout.sessions.retrieve(sessionIdOf(link.body.customer.checkout_url));
    expect(session.mode).toBe('setup');
    expect([...session.payment_method_types].sort()).toEqual([...methods].sort());
    const html = await (await fetch(link.body.customer.checkout_url)).text();
    const offered = [...html.matchAll(/name="instrument" value="([a-z]+)_/g)].map((m) => m[1]);
    const families = new Set(offered);
    const expected = new Set(
      methods.map(
        (m) => ({ card: 'card', sepa_debit: 'sepa', us_bank_account: 'ach', bacs_debit: 'bacs' })[m],
      ),
    );
    expect(families).toEqual(expected);
  });
});
