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

describe('payment checkout sessions (invoice payment links)', () => {
  const EUR = parseCurrency('EUR') as CurrencyCode;
  const input = (providerCustomerId: string, overrides: Record<string, unknown> = {}) => ({
    providerCustomerId,
    amountCents: 12_345,
    currency: EUR,
    lineItemName: 'ACME-001-007',
    allowedMethods: ['card', 'sepa_debit', 'bacs_debit'] as const,
    description: 'Acme - Invoice ACME-001-007',
    successUrl: 'https://merchant.test/paid',
    metadata: { lago_payment_id: 'pay-link-1', lago_invoice_id: 'inv-1' },
    idempotencyKey: `payment-${providerCustomerId}`,
    ...overrides,
  });

  it('opens a one-line payment page for the amount, the methods that fit the currency, and our metadata on page and intent', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Payer' });
    const page = unwrap(await account.gateway.createPaymentCheckoutSession(input(customer.id)));
    expect(page).toMatchObject({ status: 'open', payment: null });
    expect(page.url).toMatch(/^http.*\/checkout\/cs_/);
    const session = await account.stripe.checkout.sessions.retrieve(page.providerSessionId);
    expect(session).toMatchObject({
      mode: 'payment',
      customer: customer.id,
      currency: 'eur',
      amount_total: 12_345,
      success_url: 'https://merchant.test/paid',
      allowed_payment_method_types: ['card', 'sepa_debit'],
      metadata: { lago_payment_id: 'pay-link-1', lago_invoice_id: 'inv-1' },
    });
    // Stripe's default lifetime: a full day by its own clock.
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(page.expiresAt.getTime()).toBe(session.expires_at * 1000);
    const items = await account.stripe.checkout.sessions.listLineItems(page.providerSessionId);
    expect(items.data.map((i) => [i.description, i.amount_total])).toEqual([['ACME-001-007', 12_345]]);

    const paid = await emulatorControls(harness.emulator.url).completeCheckout(page.providerSessionId);
    expect(paid.ok).toBe(true);
    const read = unwrap(
      await account.gateway.retrievePaymentCheckoutSession({ providerSessionId: page.providerSessionId }),
    );
    expect(read).toMatchObject({
      status: 'complete',
      url: null,
      payment: { status: 'succeeded', amountCents: 12_345, currency: 'EUR' },
    });
    const intent = await account.stripe.paymentIntents.retrieve(read.payment?.providerPaymentId as string);
    expect(intent).toMatchObject({
      description: 'Acme - Invoice ACME-001-007',
      metadata: { lago_payment_id: 'pay-link-1', lago_invoice_id: 'inv-1' },
    });
  });

  it('sent again under its key, it is the same page', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Twice' });
    const first = unwrap(await account.gateway.createPaymentCheckoutSession(input(customer.id)));
    const again = unwrap(await account.gateway.createPaymentCheckoutSession(input(customer.id)));
    expect(again.providerSessionId).toBe(first.providerSessionId);
    expect((await account.stripe.checkout.sessions.list()).data).toHaveLength(1);
  });

  it('expiring closes an open page; a page already paid is read back as it is', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Expires' });
    const open = unwrap(await account.gateway.createPaymentCheckoutSession(input(customer.id)));
    const expired = unwrap(
      await account.gateway.expirePaymentCheckoutSession({ providerSessionId: open.providerSessionId }),
    );
    expect(expired).toMatchObject({ status: 'expired', url: null, payment: null });

    const other = unwrap(
      await account.gateway.createPaymentCheckoutSession(
        input(customer.id, { idempotencyKey: 'payment-other' }),
      ),
    );
    await emulatorControls(harness.emulator.url).completeCheckout(other.providerSessionId);
    const paid = unwrap(
      await account.gateway.expirePaymentCheckoutSession({ providerSessionId: other.providerSessionId }),
    );
    expect(paid).toMatchObject({ status: 'complete', payment: { status: 'succeeded' } });
  });

  it('a decline on the page is read as a failed intent on a page still open', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Declined' });
    const page = unwrap(await account.gateway.createPaymentCheckoutSession(input(customer.id)));
    const declined = await emulatorControls(harness.emulator.url).completeCheckout(page.providerSessionId, {
      instrument: 'card_declined',
    });
    expect(declined.ok).toBe(false);
    const read = unwrap(
      await account.gateway.retrievePaymentCheckoutSession({ providerSessionId: page.providerSessionId }),
    );
    expect(read).toMatchObject({ status: 'open', payment: { status: 'failed', code: 'card_declined' } });
  });

  it('refuses without calling Stripe when no method can pay the currency, and maps Stripe’s refusals', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Refused' });
    const none = unwrapErr(
      await account.gateway.createPaymentCheckoutSession(
        input(customer.id, { allowedMethods: ['bacs_debit'] }),
      ),
    );
    expect(none).toMatchObject({ code: 'invalid_request', providerCode: null });
    expect((await account.stripe.checkout.sessions.list()).data).toEqual([]);
    const tooSmall = unwrapErr(
      await account.gateway.createPaymentCheckoutSession(input(customer.id, { amountCents: 20 })),
    );
    expect(tooSmall.code).toBe('amount_too_small');
    const missing = unwrapErr(await account.gateway.createPaymentCheckoutSession(input('cus_missing')));
    expect(missing.code).toBe('not_found');
  });

  it('reading a setup session as a payment page is refused', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Setup' });
    const setup = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card'],
        successUrl: null,
        currency: null,
        expiresAt: new Date(Date.now() + 24 * HOUR),
      }),
    );
    const read = unwrapErr(
      await account.gateway.retrievePaymentCheckoutSession({ providerSessionId: setup.providerSessionId }),
    );
    expect(read.code).toBe('invalid_request');
  });
});
