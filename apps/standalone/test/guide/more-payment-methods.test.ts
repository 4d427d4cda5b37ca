/**
 * Beyond the guide's four methods, as Lago's Stripe users have them: Link (with card), boleto
 * vouchers (BRL), crypto (USD, paid on the invoice payment page) and bank transfers into the
 * customer's Stripe cash balance (`customer_balance`, with Stripe's funding instructions). Refused
 * at configuration time where they could never work; everything through the real API, worker,
 * webhooks receiver and the real stripe SDK against the emulator.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithSavedMethod,
  eventually,
  type Guide,
  oneOffInvoice,
  sessionIdOf,
  startGuide,
  submitCheckout,
} from './harness.js';

describe('more payment methods', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  let stripe: Stripe;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
    stripe = guide.stripe(secretKey);
  });
  afterAll(() => guide.stop());

  const invoiceState = async (id: string) => (await guide.call('GET', `/invoices/${id}`)).body.invoice;
  const linked = (externalId: string) =>
    eventually(async () => {
      const got = await guide.call('GET', `/customers/${externalId}`);
      return (got.body.customer.billing_configuration.provider_customer_id as string | null) ?? undefined;
    }, 'the Stripe customer');
  const createCustomer = (
    externalId: string,
    currency: string,
    methods: string[],
    extra: Record<string, unknown> = {},
  ) =>
    guide.call('POST', '/customers', {
      customer: {
        external_id: externalId,
        email: `${externalId}@example.test`,
        currency,
        ...extra,
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: methods,
        },
      },
    });

  it.each([
    ['USD', ['link'], 'value_is_invalid', 'Link without card'],
    ['USD', ['sepa_debit', 'link'], 'value_is_invalid', 'Link without card'],
    ['USD', ['customer_balance', 'card'], 'value_is_invalid', 'bank transfers combined'],
    ['USD', ['crypto', 'customer_balance'], 'value_is_invalid', 'bank transfers combined'],
    ['USD', ['boleto'], 'no_compatible_payment_method', 'boleto is for BRL'],
    ['EUR', ['crypto'], 'no_compatible_payment_method', 'crypto is for USD'],
    ['BRL', ['customer_balance'], 'no_compatible_payment_method', 'no BRL bank transfers'],
  ])('refuses a %s customer with %j (%s: %s) and stores nothing', async (currency, methods, error) => {
    const externalId = `refused_${currency}_${methods.join('_')}`;
    const refused = await createCustomer(externalId, currency, methods);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      status: 422,
      error: 'Unprocessable Entity',
      code: 'validation_errors',
      error_details: { provider_payment_methods: [error] },
    });
    expect((await guide.call('GET', `/customers/${externalId}`)).status).toBe(404);
  });

  it('saves Link through the checkout page next to card, and charges it', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'link_customer',
      currency: 'USD',
      code,
      methods: ['card', 'link'],
      instrument: 'link_success',
    });
    const [saved] = (await stripe.customers.listPaymentMethods(providerCustomerId)).data;
    expect(saved?.type).toBe('link');
    const methods = await guide.call('GET', '/customers/link_customer/payment_methods');
    expect(methods.body.payment_methods).toHaveLength(1);
    const invoice = await oneOffInvoice(guide, {
      externalId: 'link_customer',
      currency: 'USD',
      amountCents: 3_100,
    });
    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the Link payment');
    expect(paid.total_paid_amount_cents).toBe(3_100);
  });

  it('charges a saved boleto: the voucher is in payment.requires_action, and its payment settles the invoice', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'boleto_customer',
      currency: 'BRL',
      code,
      methods: ['boleto'],
      instrument: 'boleto_paid',
    });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'boleto_customer',
      currency: 'BRL',
      amountCents: 9_900,
    });
    const action = await eventually(
      () =>
        guide.webhooks.find(
          (w) =>
            w.type === 'payment.requires_action' && w.body.payment.invoice_ids?.includes(invoice.lago_id),
        ) ??
        guide.webhooks.find(
          (w) =>
            w.type === 'payment.requires_action' &&
            w.body.payment.next_action?.type === 'boleto_display_details',
        ),
      'payment.requires_action with the voucher',
    );
    expect(action.body.payment.next_action.boleto_display_details.hosted_voucher_url).toMatch(/^http/);
    const [pi] = (await stripe.paymentIntents.list({ customer: providerCustomerId })).data;
    expect(pi).toMatchObject({ status: 'requires_action', amount: 9_900, currency: 'brl' });
    expect((await invoiceState(invoice.lago_id)).payment_status).toBe('pending');

    await guide.controls.advanceClock(180);
    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the paid voucher to settle the invoice');
    expect(paid.total_paid_amount_cents).toBe(9_900);
  });

  it('collects by bank transfer without a saved method, waits through partial funding, settles once funded', async () => {
    const created = await createCustomer('transfer_customer', 'USD', ['customer_balance']);
    expect(created.status).toBe(200);
    const providerCustomerId = await linked('transfer_customer');
    // Nothing to save: no setup link, and asking for one says why.
    const setup = await guide.call('POST', '/customers/transfer_customer/checkout_url');
    expect(setup.status).toBe(422);
    expect(setup.body.error_details).toEqual({
      provider_payment_methods: ['no_payment_methods_to_setup_available'],
    });
    await guide.idle();
    expect((await stripe.checkout.sessions.list({ customer: providerCustomerId })).data).toHaveLength(0);

    const invoice = await oneOffInvoice(guide, {
      externalId: 'transfer_customer',
      currency: 'USD',
      amountCents: 25_000,
    });
    const pi = await eventually(async () => {
      const list = await stripe.paymentIntents.list({ customer: providerCustomerId });
      return list.data.find((p) => p.metadata.lago_invoice_id === invoice.lago_id);
    }, 'the bank-transfer payment intent');
    expect(pi).toMatchObject({ status: 'requires_action', payment_method_types: ['customer_balance'] });
    const instructions = pi.next_action?.display_bank_transfer_instructions;
    expect(instructions).toMatchObject({ amount_remaining: 25_000, type: 'us_bank_transfer' });

    // Lago's funding instructions: the customer's virtual account, the one the payment names.
    const funding = await stripe.customers.createFundingInstructions(providerCustomerId, {
      currency: 'usd',
      funding_type: 'bank_transfer',
      bank_transfer: { type: 'us_bank_transfer' },
    });
    expect(funding.bank_transfer.financial_addresses).toEqual(instructions?.financial_addresses);

    const payments = await eventually(async () => {
      const list = await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`);
      return list.body.payments?.[0]?.status === 'requires_action' ? list.body.payments : undefined;
    }, 'the payment to wait for the transfer');
    expect(payments[0]).toMatchObject({
      status: 'requires_action',
      payment_status: 'pending',
      next_action: { type: 'display_bank_transfer_instructions' },
    });
    const announced = await eventually(
      () =>
        guide.webhooks.find(
          (w) =>
            w.type === 'payment.requires_action' &&
            w.body.payment.next_action?.type === 'display_bank_transfer_instructions',
        ),
      'payment.requires_action with the transfer instructions',
    );
    expect(announced.body.payment.next_action.display_bank_transfer_instructions).toMatchObject({
      amount_remaining: 25_000,
      financial_addresses: instructions?.financial_addresses,
    });

    await stripe.testHelpers.customers.fundCashBalance(providerCustomerId, {
      amount: 10_000,
      currency: 'usd',
    });
    await guide.idle();
    expect((await invoiceState(invoice.lago_id)).payment_status).toBe('pending');
    expect(
      (await stripe.paymentIntents.retrieve(pi.id)).next_action?.display_bank_transfer_instructions
        ?.amount_remaining,
    ).toBe(15_000);

    await stripe.testHelpers.customers.fundCashBalance(providerCustomerId, {
      amount: 15_000,
      currency: 'usd',
    });
    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the funded transfer to settle the invoice');
    expect(paid.total_paid_amount_cents).toBe(25_000);
    const intents = await stripe.paymentIntents.list({ customer: providerCustomerId });
    expect(intents.data).toHaveLength(1);
  });

  it('fails a EUR bank transfer whose customer has no country Stripe opens IBANs in, saying why', async () => {
    const created = await createCustomer('transfer_eur', 'EUR', ['customer_balance'], { country: 'IT' });
    expect(created.status).toBe(200);
    const providerCustomerId = await linked('transfer_eur');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'transfer_eur',
      currency: 'EUR',
      amountCents: 5_000,
    });
    const failed = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'failed' ? state : undefined;
    }, 'the invoice to fail');
    expect(failed.payment_status).toBe('failed');
    const failure = await eventually(
      () =>
        guide.webhooks.find(
          (w) =>
            w.type === 'invoice.payment_failure' &&
            w.body.payment_provider_invoice_payment_error.lago_invoice_id === invoice.lago_id,
        ),
      'invoice.payment_failure',
    );
    expect(failure.body.payment_provider_invoice_payment_error.provider_error.error_code).toBe(
      'missing_country',
    );
    expect((await stripe.paymentIntents.list({ customer: providerCustomerId })).data).toHaveLength(0);
  });

  it('collects a payment request of a bank-transfer customer as one transfer, settled once funded', async () => {
    // Collection fails while the customer has no country Stripe opens EUR accounts in ...
    expect(
      (await createCustomer('transfer_dunned', 'EUR', ['customer_balance'], { country: 'IT' })).status,
    ).toBe(200);
    const providerCustomerId = await linked('transfer_dunned');
    const invoices: Record<string, any>[] = [];
    for (const amountCents of [3_000, 4_000]) {
      const invoice = await oneOffInvoice(guide, {
        externalId: 'transfer_dunned',
        currency: 'EUR',
        amountCents,
      });
      await eventually(
        async () => (await invoiceState(invoice.lago_id)).payment_status === 'failed',
        'the invoice to fail',
      );
      invoices.push(invoice);
    }
    // ... and a payment request collects both once it has one.
    expect(
      (await createCustomer('transfer_dunned', 'EUR', ['customer_balance'], { country: 'NL' })).status,
    ).toBe(200);
    const created = await guide.call('POST', '/payment_requests', {
      payment_request: {
        external_customer_id: 'transfer_dunned',
        lago_invoice_ids: invoices.map((i) => i.lago_id),
      },
    });
    expect(created.status).toBe(200);
    const requestId = created.body.payment_request.lago_id as string;
    const pi = await eventually(async () => {
      const list = await stripe.paymentIntents.list({ customer: providerCustomerId });
      return list.data.find((p) => p.metadata.lago_payable_id === requestId);
    }, 'the bank-transfer payment intent of the request');
    expect(pi).toMatchObject({
      amount: 7_000,
      currency: 'eur',
      status: 'requires_action',
      payment_method_types: ['customer_balance'],
      metadata: { lago_payable_type: 'PaymentRequest' },
    });
    // Made by Stripe from `payment_method_data`: no saved method of the customer is charged.
    const method = await stripe.paymentMethods.retrieve(pi.payment_method as string);
    expect(method.type).toBe('customer_balance');
    expect(pi.next_action?.display_bank_transfer_instructions).toMatchObject({
      amount_remaining: 7_000,
      type: 'eu_bank_transfer',
    });
    expect(pi.payment_method_options?.customer_balance?.bank_transfer?.eu_bank_transfer?.country).toBe('NL');
    await guide.idle();
    expect(
      (await guide.call('GET', `/payment_requests/${requestId}`)).body.payment_request.payment_status,
    ).toBe('pending');

    await stripe.testHelpers.customers.fundCashBalance(providerCustomerId, {
      amount: 7_000,
      currency: 'eur',
    });
    const settled = await eventually(async () => {
      const got = (await guide.call('GET', `/payment_requests/${requestId}`)).body.payment_request;
      return got.payment_status === 'succeeded' ? got : undefined;
    }, 'the funded transfer to settle the request');
    for (const invoice of settled.invoices) expect(invoice.payment_status).toBe('succeeded');
    expect((await stripe.paymentIntents.list({ customer: providerCustomerId })).data).toHaveLength(1);
  });

  it('takes crypto on the invoice payment page (never saved, never charged off-session)', async () => {
    const created = await createCustomer('crypto_customer', 'USD', ['crypto']);
    expect(created.status).toBe(200);
    const providerCustomerId = await linked('crypto_customer');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'crypto_customer',
      currency: 'USD',
      amountCents: 4_000,
    });
    await guide.idle();
    expect((await invoiceState(invoice.lago_id)).payment_status).toBe('pending');
    expect((await stripe.paymentIntents.list({ customer: providerCustomerId })).data).toHaveLength(0);

    const url = await guide.call('POST', `/invoices/${invoice.lago_id}/payment_url`);
    expect(url.status).toBe(200);
    const pageUrl = url.body.invoice_payment_details.payment_url as string;
    const session = await stripe.checkout.sessions.retrieve(sessionIdOf(pageUrl));
    expect(session).toMatchObject({ mode: 'payment', payment_method_types: ['crypto'] });
    const paidPage = await submitCheckout(pageUrl, 'crypto_success');
    expect(paidPage.status).toBeLessThan(400);
    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the crypto payment to settle the invoice');
    expect(paid.total_paid_amount_cents).toBe(4_000);
  });
});
