import { describe, expect, it } from 'vitest';
import { createTestContext, expectOk, givenConnection, givenLinkedCustomer } from '../testing/index.js';
import { generateCheckoutLink } from './generate-checkout-link.js';
import { updateStripeConnection } from './update-stripe-connection.js';
import { upsertCustomer } from './upsert-customer.js';

describe('generateCheckoutLink', () => {
  it('setup mode for the customer methods, the connection success URL, expiring in 24 hours', async () => {
    const t = createTestContext();
    const { customer, providerCustomerId, connection } = await givenLinkedCustomer(t, {
      methods: ['card', 'sepa_debit'],
    });
    expectOk(
      await updateStripeConnection({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          successRedirectUrl: 'https://shop.example/ok',
        },
      }),
    );
    const link = expectOk(
      await generateCheckoutLink({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          customer: { externalId: customer.externalId },
          announce: false,
        },
      }),
    );
    expect(link.expiresAt.getTime() - t.clock.now().getTime()).toBe(24 * 60 * 60 * 1000);
    expect(t.gateway.sessions.at(-1)).toMatchObject({
      providerCustomerId,
      methods: ['card', 'sepa_debit'],
      successUrl: 'https://shop.example/ok',
    });
    expect(t.store.eventsOfType('customer.checkout_url_generated')).toHaveLength(0);
  });

  it('without a success URL the customer lands on the provider page; each call makes a new link', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    const input = { organizationId: t.organization.id, customer: { id: customer.id }, announce: true };
    const first = expectOk(await generateCheckoutLink({ ctx: t.ctx, input }));
    const second = expectOk(await generateCheckoutLink({ ctx: t.ctx, input }));
    expect(first.url).not.toBe(second.url);
    expect(t.gateway.sessions.map((s) => s.successUrl)).toEqual([null, null]);
    expect(t.store.eventsOfType('customer.checkout_url_generated').map((e) => e.data.checkout_url)).toEqual([
      first.url,
      second.url,
    ]);
  });

  it('a success URL change affects only links created afterwards', async () => {
    const t = createTestContext();
    const { customer, connection } = await givenLinkedCustomer(t);
    const input = { organizationId: t.organization.id, customer: { id: customer.id }, announce: false };
    expectOk(await generateCheckoutLink({ ctx: t.ctx, input }));
    expectOk(
      await updateStripeConnection({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          successRedirectUrl: 'http://later.example',
        },
      }),
    );
    expectOk(await generateCheckoutLink({ ctx: t.ctx, input }));
    expect(t.gateway.sessions.map((s) => s.successUrl)).toEqual([null, 'http://later.example']);
  });

  it('offers only the methods usable in the customer currency', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t, {
      currency: 'USD',
      methods: ['card', 'sepa_debit', 'us_bank_account'],
    });
    expectOk(
      await generateCheckoutLink({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, customer: { id: customer.id }, announce: false },
      }),
    );
    expect(t.gateway.sessions.at(-1)?.methods).toEqual(['card', 'us_bank_account']);
  });

  it.each([
    ['unknown customer', { externalId: 'ghost' }, { kind: 'not_found', code: 'customer_not_found' }],
    [
      'customer without provider',
      { externalId: 'plain' },
      { kind: 'validation', details: { base: ['no_linked_payment_provider'] } },
    ],
  ])('%s', async (_name, ref, error) => {
    const t = createTestContext();
    await givenConnection(t);
    expectOk(
      await upsertCustomer({ ctx: t.ctx, input: { organizationId: t.organization.id, externalId: 'plain' } }),
    );
    const result = await generateCheckoutLink({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, customer: ref, announce: false },
    });
    expect(result).toMatchObject({ ok: false, error });
  });

  it('a pending (not yet created) Stripe customer has no link to offer', async () => {
    const t = createTestContext();
    await givenConnection(t);
    expectOk(
      await upsertCustomer({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          externalId: 'p',
          billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true },
        },
      }),
    );
    const result = await generateCheckoutLink({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, customer: { externalId: 'p' }, announce: false },
    });
    expect(result).toMatchObject({ ok: false, error: { details: { base: ['no_linked_payment_provider'] } } });
  });

  it('a Stripe failure is a third_party_error and, when announcing, a customer.payment_provider_error', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    t.gateway.failNext('createSetupCheckoutSession', {
      code: 'invalid_request',
      providerCode: 'resource_missing',
      message: 'No such customer',
    });
    const result = await generateCheckoutLink({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, customer: { id: customer.id }, announce: true },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'third_party', code: 'third_party_error' } });
    expect(t.store.eventsOfType('customer.payment_provider_error')).toHaveLength(1);
  });
});
