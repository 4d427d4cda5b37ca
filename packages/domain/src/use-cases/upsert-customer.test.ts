import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenConnection,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { syncCustomerToStripe } from './sync-customer-to-stripe.js';
import type { UpsertCustomerInput } from './upsert-customer.js';
import { upsertCustomer } from './upsert-customer.js';

function upsert(t: TestContext, input: Omit<UpsertCustomerInput, 'organizationId'>) {
  return upsertCustomer({ ctx: t.ctx, input: { organizationId: t.organization.id, ...input } });
}

describe('upsertCustomer: billing link', () => {
  it('a new customer with only payment_provider is not linked', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const { customer } = expectOk(
      await upsert(t, { externalId: 'c1', billingConfiguration: { paymentProvider: 'stripe' } }),
    );
    expect(customer.billing).toEqual({ provider: 'none' });
    expect(t.store.jobs).toHaveLength(0);
  });

  it('existing Stripe customer: linked at once, nothing created, default method imported later', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const { customer } = expectOk(
      await upsert(t, {
        externalId: 'c1',
        billingConfiguration: { paymentProvider: 'stripe', providerCustomerId: 'cus_existing' },
      }),
    );
    expect(customer.billing).toMatchObject({
      provider: 'stripe',
      paymentMethodTypes: ['card'],
      syncWithProvider: false,
      providerCustomer: { status: 'linked', providerCustomerId: 'cus_existing' },
    });
    expect(t.store.jobsNamed('stripe.create_customer')).toHaveLength(0);
    expect(t.store.jobsNamed('stripe.update_customer')).toHaveLength(1);
  });

  it('auto-create: pending plus a creation job in the same transaction; Stripe answers later', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const out = expectOk(
      await upsert(t, {
        externalId: 'c1',
        email: 'a@example.com, b@example.com',
        billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true },
      }),
    );
    expect(out).toMatchObject({
      created: true,
      syncNow: false,
      customer: { billing: { providerCustomer: { status: 'pending' } } },
    });
    expect(t.store.jobsNamed('stripe.create_customer')).toEqual([
      expect.objectContaining({
        payload: { organizationId: t.organization.id, customerId: out.customer.id },
      }),
    ]);

    const synced = expectOk(
      await syncCustomerToStripe({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, customerId: out.customer.id },
      }),
    );
    expect(synced.billing).toMatchObject({ providerCustomer: { status: 'linked' } });
    expect(t.store.eventsOfType('customer.payment_provider_created')).toHaveLength(1);
    expect(t.store.jobsNamed('stripe.checkout_link')).toHaveLength(1);
    const [stripeCustomer] = [...t.gateway.customers.values()];
    expect(stripeCustomer?.data.email).toBe('a@example.com');
  });

  it('sync=true asks the caller to create the Stripe customer now', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const out = expectOk(
      await upsert(t, {
        externalId: 'c1',
        billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true, sync: true },
      }),
    );
    expect(out.syncNow).toBe(true);
  });

  it('a Stripe refusal puts the link in error and raises customer.payment_provider_error', async () => {
    const t = createTestContext();
    const connection = await givenConnection(t);
    const { customer } = expectOk(
      await upsert(t, {
        externalId: 'c1',
        billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true },
      }),
    );
    t.gateway.failNext('createCustomer', {
      code: 'invalid_request',
      providerCode: 'email_invalid',
      message: 'Invalid email',
    });
    const synced = expectOk(
      await syncCustomerToStripe({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, customerId: customer.id },
      }),
    );
    expect(synced.billing).toMatchObject({
      providerCustomer: { status: 'error', failure: { code: 'email_invalid' } },
    });
    expect(t.store.eventsOfType('customer.payment_provider_error')[0]?.data).toEqual({
      lago_customer_id: customer.id,
      external_customer_id: 'c1',
      payment_provider: 'stripe',
      payment_provider_code: connection.code,
      provider_error: { message: 'Invalid email', error_code: 'email_invalid' },
    });
  });

  it('a retryable Stripe error leaves the link pending for the job to retry with the same key', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const { customer } = expectOk(
      await upsert(t, {
        externalId: 'c1',
        billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true },
      }),
    );
    t.gateway.failNext('createCustomer', { code: 'retryable', reason: 'rate_limited', message: '429' });
    const input = { organizationId: t.organization.id, customerId: customer.id };
    expect(await syncCustomerToStripe({ ctx: t.ctx, input })).toMatchObject({
      ok: false,
      error: { code: 'too_many_provider_requests' },
    });
    expectOk(await syncCustomerToStripe({ ctx: t.ctx, input }));
    expectOk(await syncCustomerToStripe({ ctx: t.ctx, input }));
    expect(t.gateway.customers.size).toBe(1);
  });

  it('removing the provider unlinks cleanly and drops saved methods', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    const out = expectOk(
      await upsert(t, { externalId: customer.externalId, billingConfiguration: { paymentProvider: null } }),
    );
    expect(out.customer.billing).toEqual({ provider: 'none' });
    expect([...t.store.paymentMethods.values()].every((m) => m.deletedAt !== null)).toBe(true);
  });

  it('switching to another connection unlinks the old one first', async () => {
    const t = createTestContext();
    const { customer, connection } = await givenLinkedCustomer(t);
    const other = await givenConnection(t, 'stripe_us');
    const out = expectOk(
      await upsert(t, {
        externalId: customer.externalId,
        billingConfiguration: {
          paymentProvider: 'stripe',
          paymentProviderCode: 'stripe_us',
          providerCustomerId: 'cus_us',
        },
      }),
    );
    expect(out.customer.billing).toMatchObject({ connectionId: other.id, defaultPaymentMethod: null });
    expect(connection.id).not.toBe(other.id);
    expect([...t.store.paymentMethods.values()].every((m) => m.deletedAt !== null)).toBe(true);
  });

  it('an update without billing_configuration keeps the link (partial update)', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    const out = expectOk(await upsert(t, { externalId: customer.externalId, name: 'New name' }));
    expect(out).toMatchObject({ created: false, customer: { name: 'New name', email: 'ada@example.com' } });
    expect(out.customer.billing).toEqual(customer.billing);
    expect(t.store.eventsOfType('customer.updated').length).toBeGreaterThan(0);
  });
});

describe('upsertCustomer: rejections', () => {
  it.each<[string, Omit<UpsertCustomerInput, 'organizationId'>, Record<string, string[]>]>([
    ['missing external_id', { externalId: '' }, { external_id: ['value_is_mandatory'] }],
    ['bad currency', { externalId: 'c', currency: 'EURO' }, { currency: ['value_is_invalid'] }],
    ['bad email', { externalId: 'c', email: 'not-an-email' }, { email: ['invalid_email_format'] }],
    [
      'unknown provider',
      { externalId: 'c', billingConfiguration: { paymentProvider: 'adyen' } },
      { payment_provider: ['value_is_invalid'] },
    ],
    [
      'unknown payment method',
      {
        externalId: 'c',
        billingConfiguration: {
          paymentProvider: 'stripe',
          syncWithProvider: true,
          providerPaymentMethods: ['paypal'],
        },
      },
      { provider_payment_methods: ['value_is_invalid'] },
    ],
    [
      'empty payment methods',
      {
        externalId: 'c',
        billingConfiguration: {
          paymentProvider: 'stripe',
          syncWithProvider: true,
          providerPaymentMethods: [],
        },
      },
      { provider_payment_methods: ['value_is_invalid'] },
    ],
    [
      'no method for the customer currency',
      {
        externalId: 'c',
        currency: 'USD',
        billingConfiguration: {
          paymentProvider: 'stripe',
          syncWithProvider: true,
          providerPaymentMethods: ['sepa_debit'],
        },
      },
      { provider_payment_methods: ['no_compatible_payment_method'] },
    ],
    [
      'unknown connection code',
      {
        externalId: 'c',
        billingConfiguration: {
          paymentProvider: 'stripe',
          syncWithProvider: true,
          paymentProviderCode: 'nope',
        },
      },
      { base: ['payment_provider_not_found'] },
    ],
  ])('%s → 422', async (_name, input, details) => {
    const t = createTestContext();
    await givenConnection(t);
    const result = await upsert(t, input);
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation', details } });
    expect(t.store.customers.size).toBe(0);
    expect(t.store.jobs).toHaveLength(0);
  });

  it('code omitted with several connections → payment_provider_code_missing', async () => {
    const t = createTestContext();
    await givenConnection(t, 'a');
    await givenConnection(t, 'b');
    const result = await upsert(t, {
      externalId: 'c',
      billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { details: { base: ['payment_provider_code_missing'] } },
    });
  });

  it('no connection at all → payment_provider_not_found', async () => {
    const t = createTestContext();
    const result = await upsert(t, {
      externalId: 'c',
      billingConfiguration: { paymentProvider: 'stripe', providerCustomerId: 'cus_1' },
    });
    expect(result).toMatchObject({ ok: false, error: { details: { base: ['payment_provider_not_found'] } } });
  });

  it('a currency change that leaves no usable method is refused', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t, { methods: ['sepa_debit'], methodType: null });
    const result = await upsert(t, { externalId: customer.externalId, currency: 'USD' });
    expect(result).toMatchObject({
      ok: false,
      error: { details: { provider_payment_methods: ['no_compatible_payment_method'] } },
    });
    expect(t.store.customers.get(customer.id)?.currency).toBe('EUR');
  });
});
