import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenConnection,
  givenInvoice,
  givenLinkedCustomer,
} from '../testing/index.js';
import { applyPaymentOutcome } from './apply-payment-outcome.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { connectStripe } from './connect-stripe.js';
import { deleteStripeConnection } from './delete-stripe-connection.js';
import { updateStripeConnection } from './update-stripe-connection.js';

describe('connectStripe', () => {
  it('registers the webhook endpoint, then stores the connection with its secrets', async () => {
    const t = createTestContext();
    const connection = expectOk(
      await connectStripe({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          name: 'Stripe EU',
          code: 'stripe eu',
          secretKey: 'sk_test_abc123',
          successRedirectUrl: 'https://shop.example/thanks',
        },
      }),
    );
    expect(connection).toMatchObject({
      name: 'Stripe EU',
      code: 'stripe eu',
      successRedirectUrl: 'https://shop.example/thanks',
    });
    expect(connection.secretKey.reveal()).toBe('sk_test_abc123');
    expect(JSON.stringify(connection)).not.toContain('sk_test_abc123');
    expect([...t.gateway.endpoints.values()]).toEqual([
      { url: `https://payrail.test/webhooks/stripe/${t.organization.id}?code=stripe%20eu` },
    ]);
    expect(t.store.stripeConnections.get(connection.id)?.webhookEndpoint.providerEndpointId).toBe(
      connection.webhookEndpoint.providerEndpointId,
    );
  });

  it('allows several connections per organization, told apart by code', async () => {
    const t = createTestContext();
    await givenConnection(t, 'stripe_eu');
    await givenConnection(t, 'stripe_us');
    expect(t.store.stripeConnections.size).toBe(2);
  });

  it.each([
    [{ name: '' }, { name: ['value_is_mandatory'] }],
    [{ code: ' ' }, { code: ['value_is_mandatory'] }],
    [{ secretKey: '' }, { secret_key: ['value_is_mandatory'] }],
    [{ successRedirectUrl: 'ftp://x.example' }, { success_redirect_url: ['url_is_invalid'] }],
    [{ successRedirectUrl: 'shop.example' }, { success_redirect_url: ['url_is_invalid'] }],
    [
      { successRedirectUrl: 'https://x.example/'.padEnd(1025, 'a') },
      { success_redirect_url: ['value_is_too_long'] },
    ],
  ])('rejects %j with 422 %j and stores nothing', async (override, details) => {
    const t = createTestContext();
    const result = await connectStripe({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, name: 'n', code: 'c', secretKey: 'sk_test_x', ...override },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation', details } });
    expect(t.store.stripeConnections.size).toBe(0);
    expect(t.gateway.endpoints.size).toBe(0);
  });

  it('rejects a duplicate code in the organization', async () => {
    const t = createTestContext();
    await givenConnection(t, 'stripe_eu');
    const result = await connectStripe({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, name: 'again', code: 'stripe_eu', secretKey: 'sk_test_y' },
    });
    expect(result).toMatchObject({ ok: false, error: { details: { code: ['value_already_exist'] } } });
  });

  it('a key Stripe rejects gives a 422 on secret_key and stores nothing', async () => {
    const t = createTestContext();
    t.gateway.invalidSecretKeys.add('pk_test_oops');
    const result = await connectStripe({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, name: 'n', code: 'c', secretKey: 'pk_test_oops' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'validation', details: { secret_key: ['invalid_credentials'] } },
    });
    expect(t.store.stripeConnections.size).toBe(0);
  });

  it('a Stripe outage is retryable and stores nothing', async () => {
    const t = createTestContext();
    t.gateway.failNext('registerWebhookEndpoint', {
      code: 'retryable',
      reason: 'server_error',
      message: '503',
    });
    const result = await connectStripe({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, name: 'n', code: 'c', secretKey: 'sk_test_x' },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'unavailable', retryable: true } });
    expect(t.store.stripeConnections.size).toBe(0);
  });
});

describe('updateStripeConnection', () => {
  it('changes the success URL and name; the secret key stays', async () => {
    const t = createTestContext();
    const c = await givenConnection(t);
    const updated = expectOk(
      await updateStripeConnection({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: c.id,
          name: 'Renamed',
          successRedirectUrl: 'http://a.example',
        },
      }),
    );
    expect(updated).toMatchObject({ name: 'Renamed', successRedirectUrl: 'http://a.example', version: 2 });
    expect(updated.secretKey.equals(c.secretKey)).toBe(true);
    const cleared = expectOk(
      await updateStripeConnection({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, connectionId: c.id, successRedirectUrl: null },
      }),
    );
    expect(cleared.successRedirectUrl).toBeNull();
  });

  it('a new code moves the webhook endpoint to the new URL', async () => {
    const t = createTestContext();
    const c = await givenConnection(t, 'old');
    expectOk(
      await updateStripeConnection({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, connectionId: c.id, code: 'new' },
      }),
    );
    expect(t.gateway.endpoints.get(c.webhookEndpoint.providerEndpointId)?.url).toMatch(/\?code=new$/);
  });

  it.each([
    [{ successRedirectUrl: 'nope' }, 'success_redirect_url', 'url_is_invalid'],
    [{ code: 'taken' }, 'code', 'value_already_exist'],
    [{ name: '' }, 'name', 'value_is_mandatory'],
  ])('rejects %j', async (override, field, code) => {
    const t = createTestContext();
    const c = await givenConnection(t, 'mine');
    await givenConnection(t, 'taken');
    const result = await updateStripeConnection({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, connectionId: c.id, ...override },
    });
    expect(result).toMatchObject({ ok: false, error: { details: { [field]: [code] } } });
    expect(t.store.stripeConnections.get(c.id)?.version).toBe(1);
  });

  it('404 for a connection of another organization', async () => {
    const t = createTestContext();
    const c = await givenConnection(t);
    const result = await updateStripeConnection({
      ctx: t.ctx,
      input: { organizationId: 'other', connectionId: c.id, name: 'x' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'stripe_connection_not_found' } });
  });
});

describe('deleteStripeConnection', () => {
  it('unlinks its customers, deletes it with its payment methods and removes the endpoint at Stripe', async () => {
    const t = createTestContext();
    const { customer, connection } = await givenLinkedCustomer(t);
    expect(t.store.paymentMethods.size).toBe(1);
    expectOk(
      await deleteStripeConnection({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, connectionId: connection.id },
      }),
    );
    expect(t.store.stripeConnections.size).toBe(0);
    expect(t.store.customers.get(customer.id)?.billing).toEqual({ provider: 'none' });
    // The methods saved on it go with it (no payment keeps them).
    expect(t.store.paymentMethods.size).toBe(0);
    expect(t.gateway.endpoints.size).toBe(0);
  });

  it('refuses while a payment through it is still out at Stripe, and changes nothing', async () => {
    const t = createTestContext();
    const { customer, connection } = await givenLinkedCustomer(t);
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    const remove = () =>
      deleteStripeConnection({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, connectionId: connection.id },
      });
    expect(await remove()).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'payment_processor_is_currently_handling_payment' },
    });
    expect(t.store.stripeConnections.get(connection.id)).toEqual(connection);
    expect(t.store.customers.get(customer.id)).toEqual(customer);
    expect(t.gateway.endpoints.size).toBe(1);

    // Once Stripe settles the payment, the connection still stays: the payment keeps it.
    const [payment] = [...t.store.payments.values()];
    expectOk(
      await applyPaymentOutcome({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          paymentId: payment?.id ?? '',
          outcome: {
            providerPaymentId: payment?.providerPaymentId ?? '',
            providerStatus: 'succeeded',
            amountCents: payment?.amountCents ?? 0,
            currency: invoice.currency,
            status: 'succeeded',
          },
        },
      }),
    );
    expect(await remove()).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'stripe_connection_in_use' },
    });
    expect(t.store.stripeConnections.get(connection.id)).toBeDefined();
    expect(t.gateway.endpoints.size).toBe(1);
  });
});
