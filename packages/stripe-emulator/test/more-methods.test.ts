import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { VOUCHER_DAYS, VOUCHER_PAID_AFTER_SECONDS } from '../src/resources/boleto.js';
import { useEmulator } from './harness.js';

const h = useEmulator();

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error('expected a Stripe error');
  return err;
}

async function bankTransfer(stripe: Stripe, customer: string, amount: number) {
  return stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    customer,
    allowed_payment_method_types: ['customer_balance'],
    payment_method_data: { type: 'customer_balance' },
    payment_method_options: {
      customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'us_bank_transfer' } },
    },
    confirm: true,
  });
}

describe('bank transfers into the cash balance (customer_balance)', () => {
  it('waits for the transfer with the instructions, is partially funded, then succeeds', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'payer@example.com' });
    const pi = await bankTransfer(stripe, customer.id, 10_000);
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('display_bank_transfer_instructions');
    const instructions = pi.next_action?.display_bank_transfer_instructions;
    expect(instructions).toMatchObject({
      amount_remaining: 10_000,
      currency: 'usd',
      type: 'us_bank_transfer',
    });
    expect(instructions?.financial_addresses?.[0]?.type).toBe('aba');

    const funding = await stripe.customers.createFundingInstructions(customer.id, {
      currency: 'usd',
      funding_type: 'bank_transfer',
      bank_transfer: { type: 'us_bank_transfer' },
    });
    expect(funding.bank_transfer.financial_addresses).toEqual(instructions?.financial_addresses);

    await stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 4_000, currency: 'usd' });
    const partial = await stripe.paymentIntents.retrieve(pi.id);
    expect(partial.status).toBe('requires_action');
    expect(partial.next_action?.display_bank_transfer_instructions?.amount_remaining).toBe(6_000);
    expect((await stripe.events.list({ type: 'payment_intent.partially_funded' })).data).toHaveLength(1);

    await stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 7_000, currency: 'usd' });
    const paid = await stripe.paymentIntents.retrieve(pi.id);
    expect(paid).toMatchObject({ status: 'succeeded', amount_received: 10_000, next_action: null });
    const balance = await stripe.customers.retrieveCashBalance(customer.id);
    expect(balance.available).toEqual({ usd: 1_000 });
    // The left-over funds pay the next transfer at once.
    const next = await bankTransfer(stripe, customer.id, 1_000);
    expect(next.status).toBe('succeeded');
  });

  it('refuses a bank transfer without its funding type, or in a currency it cannot use', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({});
    const missing = await failure(
      stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'usd',
        customer: customer.id,
        allowed_payment_method_types: ['customer_balance'],
        payment_method_data: { type: 'customer_balance' },
        confirm: true,
      }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.param).toBe('payment_method_options[customer_balance][funding_type]');
    const wrong = await failure(
      stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'eur',
        customer: customer.id,
        allowed_payment_method_types: ['customer_balance'],
        payment_method_data: { type: 'customer_balance' },
        payment_method_options: {
          customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'us_bank_transfer' } },
        },
        confirm: true,
      }),
    );
    expect(wrong.statusCode).toBe(400);
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(0);
  });
});

describe('boleto vouchers', () => {
  const billing = {
    name: 'Cliente',
    email: 'cliente@example.com',
    address: { line1: 'Rua 1', city: 'São Paulo', postal_code: '01000-000', country: 'BR', state: 'SP' },
  };

  async function boletoPayment(stripe: Stripe, taxId: string) {
    const customer = await stripe.customers.create({ email: billing.email });
    const pm = await stripe.paymentMethods.create({
      type: 'boleto',
      boleto: { tax_id: taxId },
      billing_details: billing,
    });
    await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    return stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'brl',
      customer: customer.id,
      payment_method: pm.id,
      allowed_payment_method_types: ['boleto'],
      confirm: true,
      off_session: true,
    });
  }

  it('issues a voucher and succeeds when it is paid', async () => {
    const stripe = h.client();
    const pi = await boletoPayment(stripe, '000.000.000-00');
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('boleto_display_details');
    expect(pi.next_action?.boleto_display_details?.hosted_voucher_url).toMatch(/^http/);
    await h.controls.advanceClock(VOUCHER_PAID_AFTER_SECONDS);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
  });

  it('fails the payment when the voucher expires unpaid', async () => {
    const stripe = h.client();
    const pi = await boletoPayment(stripe, '111.111.111-11');
    await h.controls.advanceClock(VOUCHER_DAYS * 24 * 60 * 60);
    const expired = await stripe.paymentIntents.retrieve(pi.id);
    expect(expired.status).toBe('requires_payment_method');
    expect(expired.last_payment_error?.code).toBe('payment_intent_payment_attempt_expired');
  });

  it('refuses a boleto charge in another currency, and one without the voucher details', async () => {
    const stripe = h.client();
    const noAddress = await failure(
      stripe.paymentMethods.create({
        type: 'boleto',
        boleto: { tax_id: '00000000000' },
        billing_details: { name: 'x', email: 'x@example.com' },
      }),
    );
    expect(noAddress.statusCode).toBe(400);
    const pm = await stripe.paymentMethods.create({
      type: 'boleto',
      boleto: { tax_id: '00000000000' },
      billing_details: billing,
    });
    const usd = await failure(
      stripe.paymentIntents.create({
        amount: 5_000,
        currency: 'usd',
        payment_method: pm.id,
        allowed_payment_method_types: ['card', 'boleto'],
      }),
    );
    expect(usd.code).toBe('payment_method_currency_mismatch');
  });
});

describe('the hosted checkout page and the new methods', () => {
  it('offers Link and boleto in setup mode, never crypto or bank transfers', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({});
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'usd',
      allowed_payment_method_types: ['card', 'link', 'crypto', 'customer_balance'],
    });
    expect(session.payment_method_types).toEqual(['card', 'link']);
    const html = await (await fetch(session.url as string)).text();
    expect(html).toContain('Link');
    expect(html).not.toContain('Crypto');
    const done = await h.controls.completeCheckout(session.id, { instrument: 'link_success' });
    expect(done.ok).toBe(true);
    const [saved] = (await stripe.customers.listPaymentMethods(customer.id)).data;
    expect(saved?.type).toBe('link');
  });

  it('takes crypto and bank transfers in payment mode', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({});
    const page = (types: Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[]) =>
      stripe.checkout.sessions.create({
        mode: 'payment',
        customer: customer.id,
        line_items: [
          {
            quantity: 1,
            price_data: { currency: 'usd', unit_amount: 2_500, product_data: { name: 'INV-1' } },
          },
        ],
        allowed_payment_method_types: types,
        payment_method_options: {
          customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'us_bank_transfer' } },
        },
      });
    const crypto = await page(['card', 'crypto', 'customer_balance']);
    expect(crypto.payment_method_types).toEqual(['card', 'crypto', 'customer_balance']);
    const html = await (await fetch(crypto.url as string)).text();
    expect(html).toContain('Crypto');
    expect(html).toContain('Bank transfer');
    await h.controls.completeCheckout(crypto.id, { instrument: 'crypto_success' });
    const paid = await stripe.checkout.sessions.retrieve(crypto.id);
    expect(paid.payment_status).toBe('paid');

    const transfer = await page(['customer_balance']);
    await h.controls.completeCheckout(transfer.id, { instrument: 'customer_balance' });
    const waiting = await stripe.checkout.sessions.retrieve(transfer.id, { expand: ['payment_intent'] });
    expect(waiting).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    await stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 2_500, currency: 'usd' });
    expect((await stripe.checkout.sessions.retrieve(transfer.id)).payment_status).toBe('paid');
    const events = (await stripe.events.list({ type: 'checkout.session.async_payment_succeeded' })).data;
    expect(events.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual([transfer.id]);
  });
});
