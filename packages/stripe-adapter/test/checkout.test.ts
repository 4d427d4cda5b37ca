import { type CurrencyCode, parseCurrency } from '@payrail/domain';
import { emulatorControls } from '@payrail/stripe-emulator';
import { describe, expect, it } from 'vitest';
import { unwrap, unwrapErr, useEmulator } from './harness.js';

const harness = useEmulator();
const HOUR = 3600 * 1000;

describe('createSetupCheckoutSession', () => {
  it('opens a setup-mode session for the customer’s methods, with currency, success URL and expiry', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Checkout' });
    const expiresAt = new Date(Date.now() + 2 * HOUR);
    const created = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card', 'sepa_debit'],
        successUrl: 'https://merchant.test/saved',
        currency: parseCurrency('EUR') as CurrencyCode,
        expiresAt,
      }),
    );
    expect(created.url).toMatch(/^http/);
    expect(Math.abs(created.expiresAt.getTime() - expiresAt.getTime())).toBeLessThan(1000);
    const session = await account.stripe.checkout.sessions.retrieve(created.providerSessionId);
    expect(session).toMatchObject({
      mode: 'setup',
      customer: customer.id,
      currency: 'eur',
      success_url: 'https://merchant.test/saved',
      allowed_payment_method_types: ['card', 'sepa_debit'],
      expires_at: Math.floor(expiresAt.getTime() / 1000),
      status: 'open',
    });
  });

  it('sends no currency or success URL for cards only, and caps the expiry at Stripe’s 24 h', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Cards' });
    const created = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card'],
        successUrl: null,
        currency: parseCurrency('USD') as CurrencyCode,
        expiresAt: new Date(Date.now() + 24 * HOUR + 10_000),
      }),
    );
    const session = await account.stripe.checkout.sessions.retrieve(created.providerSessionId);
    expect(session.currency).toBeNull();
    expect(session.success_url).toBeNull();
    // A full day is Stripe's own default: exactly 24 h after the session was created.
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(created.expiresAt.getTime()).toBe(session.expires_at * 1000);
  });

  it('infers the currency a bank debit needs when the customer has none', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Bacs' });
    const created = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card', 'bacs_debit'],
        successUrl: null,
        currency: null,
        expiresAt: new Date(Date.now() + 24 * HOUR),
      }),
    );
    const session = await account.stripe.checkout.sessions.retrieve(created.providerSessionId);
    expect(session.currency).toBe('gbp');
  });

  it('saves the method on the customer when the customer completes the page', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Completes' });
    const created = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card'],
        successUrl: null,
        currency: null,
        expiresAt: new Date(Date.now() + 24 * HOUR),
      }),
    );
    const completed = await emulatorControls(harness.emulator.url).completeCheckout(
      created.providerSessionId,
    );
    expect(completed.ok).toBe(true);
    const methods = unwrap(await account.gateway.listPaymentMethods({ providerCustomerId: customer.id }));
    expect(methods).toHaveLength(1);
    expect(methods[0]?.type).toBe('card');
  });

  it('refuses an empty method list without calling Stripe', async () => {
    const account = harness.account();
    const error = unwrapErr(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: 'cus_any',
        methods: [],
        successUrl: null,
        currency: null,
        expiresAt: new Date(Date.now() + 24 * HOUR),
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', providerCode: null });
    expect((await account.stripe.checkout.sessions.list()).data).toEqual([]);
  });

  it('maps an unknown customer to a provider error', async () => {
    const account = harness.account();
    const error = unwrapErr(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: 'cus_missing',
        methods: ['card'],
        successUrl: null,
        currency: null,
        expiresAt: new Date(Date.now() + 24 * HOUR),
      }),
    );
    expect(error.code).toBe('not_found');
  });
});
