import { type CurrencyCode, parseCurrency } from '@payrail/domain';
import { emulatorControls } from '@payrail/stripe-emulator';
import { describe, expect, it } from 'vitest';
import { unwrap, unwrapErr, useEmulator } from './harness.js';

const harness = useEmulator();
const currency = (code: string) => parseCurrency(code) as CurrencyCode;
const metadata = { lago_invoice_id: 'inv-1', lago_payment_id: 'pay-1' };

describe('bank transfers (customer_balance)', () => {
  it('asks for the transfer and succeeds once the cash balance covers it', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ email: 'payer@example.com' });
    const outcome = unwrap(
      await account.gateway.createPaymentIntent({
        amountCents: 20_000,
        currency: currency('EUR'),
        providerCustomerId: customer.id,
        providerPaymentMethodId: null,
        allowedMethods: ['customer_balance'],
        bankTransfer: { type: 'eu_bank_transfer', country: 'FR' },
        description: 'Acme - Invoice ACM-002',
        returnUrl: null,
        metadata,
        idempotencyKey: `payment-${Math.random().toString(36).slice(2)}`,
      }),
    );
    expect(outcome.status).toBe('requires_action');
    if (outcome.status !== 'requires_action') throw new Error('unreachable');
    expect(outcome.nextAction).toMatchObject({
      type: 'display_bank_transfer_instructions',
      display_bank_transfer_instructions: {
        amount_remaining: 20_000,
        currency: 'eur',
        type: 'eu_bank_transfer',
      },
    });
    const iban = (
      outcome.nextAction as {
        display_bank_transfer_instructions: { financial_addresses: { iban: { country: string } }[] };
      }
    ).display_bank_transfer_instructions.financial_addresses[0]?.iban;
    expect(iban?.country).toBe('FR');
    await account.stripe.testHelpers.customers.fundCashBalance(customer.id, {
      amount: 20_000,
      currency: 'eur',
    });
    const read = unwrap(
      await account.gateway.retrievePaymentIntent({ providerPaymentId: outcome.providerPaymentId }),
    );
    expect(read.status).toBe('succeeded');
  });

  it('refuses a charge with neither a saved method nor a bank transfer, before calling Stripe', async () => {
    const account = harness.account();
    const error = unwrapErr(
      await account.gateway.createPaymentIntent({
        amountCents: 1_000,
        currency: currency('USD'),
        providerCustomerId: 'cus_none',
        providerPaymentMethodId: null,
        allowedMethods: ['card'],
        description: 'x',
        returnUrl: null,
        metadata,
        idempotencyKey: 'payment-none',
      }),
    );
    expect(error.code).toBe('invalid_request');
  });
});

describe('boleto', () => {
  it('charges a saved boleto off-session and answers with the voucher to pay', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ email: 'cliente@example.com' });
    const pm = await account.stripe.paymentMethods.create({
      type: 'boleto',
      boleto: { tax_id: '00000000000' },
      billing_details: {
        name: 'Cliente',
        email: 'cliente@example.com',
        address: { line1: 'Rua 1', city: 'São Paulo', postal_code: '01000-000', country: 'BR' },
      },
    });
    await account.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const outcome = unwrap(
      await account.gateway.createPaymentIntent({
        amountCents: 5_000,
        currency: currency('BRL'),
        providerCustomerId: customer.id,
        providerPaymentMethodId: pm.id,
        methodType: 'boleto',
        allowedMethods: ['card', 'boleto'],
        description: 'Acme - Invoice ACM-003',
        returnUrl: null,
        metadata,
        idempotencyKey: `payment-${Math.random().toString(36).slice(2)}`,
      }),
    );
    expect(outcome).toMatchObject({
      status: 'requires_action',
      nextAction: { type: 'boleto_display_details' },
    });
    await emulatorControls(harness.emulator.url).advanceClock(180);
    const read = unwrap(
      await account.gateway.retrievePaymentIntent({ providerPaymentId: outcome.providerPaymentId }),
    );
    expect(read.status).toBe('succeeded');
  });
});

describe('setup checkout', () => {
  it('offers Link and boleto, and never sends crypto or bank transfers', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({});
    const created = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card', 'link', 'crypto'],
        successUrl: null,
        currency: currency('USD'),
        expiresAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
      }),
    );
    const session = await account.stripe.checkout.sessions.retrieve(created.providerSessionId);
    expect(session.allowed_payment_method_types).toEqual(['card', 'link']);
  });
});
