/** Guide: "Payment intents". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithSavedMethod, eventually, type Guide, oneOffInvoice, startGuide } from './harness.js';

describe('guide: collecting invoices with PaymentIntents', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
  });
  afterAll(() => guide.stop());

  const invoiceState = async (id: string) => (await guide.call('GET', `/invoices/${id}`)).body.invoice;

  it('creates one PaymentIntent per invoice above zero, recording the invoice id, and goes pending -> succeeded', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'payer',
      currency: 'USD',
      code,
    });
    const invoice = await oneOffInvoice(guide, { externalId: 'payer', currency: 'USD', amountCents: 12_000 });
    expect(invoice).toMatchObject({
      status: 'finalized',
      invoice_type: 'one_off',
      total_amount_cents: 12_000,
    });
    expect(['pending', 'succeeded']).toContain(invoice.payment_status);

    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the invoice to be paid');
    expect(paid.total_paid_amount_cents).toBe(12_000);

    const intents = await guide.stripe(secretKey).paymentIntents.list({ customer: providerCustomerId });
    expect(intents.data).toHaveLength(1);
    const intent = intents.data[0];
    expect(intent).toMatchObject({ amount: 12_000, currency: 'usd', status: 'succeeded' });
    expect(intent?.metadata.lago_invoice_id).toBe(invoice.lago_id);
    expect(intent?.description).toContain(invoice.number);

    const payments = await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`);
    expect(payments.body.payments).toHaveLength(1);
    expect(payments.body.payments[0]).toMatchObject({
      payment_status: 'succeeded',
      provider_payment_id: intent?.id,
      amount_cents: 12_000,
    });
    await eventually(
      () =>
        guide.webhooks.find(
          (w) => w.type === 'payment.succeeded' && w.body.payment.lago_payable_id === invoice.lago_id,
        ),
      'payment.succeeded',
    );
  });

  it('goes pending -> failed and sends invoice.payment_failure when Stripe declines', async () => {
    await customerWithSavedMethod(guide, {
      externalId: 'decliner',
      currency: 'EUR',
      code,
      instrument: 'card_charge_customer_fail',
    });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'decliner',
      currency: 'EUR',
      amountCents: 3_000,
    });
    await eventually(
      async () => (await invoiceState(invoice.lago_id)).payment_status === 'failed',
      'a failed payment',
    );
    const failure = await eventually(
      () =>
        guide.webhooks.find(
          (w) =>
            w.type === 'invoice.payment_failure' &&
            w.body.payment_provider_invoice_payment_error.lago_invoice_id === invoice.lago_id,
        ),
      'invoice.payment_failure',
    );
    expect(failure.body.payment_provider_invoice_payment_error.provider_error).toMatchObject({
      error_code: 'card_declined',
    });
  });

  it('leaves the payment pending when the amount is below Stripe minimum, without trying or failing', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'tiny',
      currency: 'EUR',
      code,
    });
    const invoice = await oneOffInvoice(guide, { externalId: 'tiny', currency: 'EUR', amountCents: 49 });
    await guide.idle();
    expect(await invoiceState(invoice.lago_id)).toMatchObject({
      payment_status: 'pending',
      payment_waiting_reason: 'amount_below_provider_minimum',
    });
    expect(
      (await guide.stripe(secretKey).paymentIntents.list({ customer: providerCustomerId })).data,
    ).toHaveLength(0);
    expect(
      guide.webhooks.filter(
        (w) => w.type === 'invoice.payment_failure' && JSON.stringify(w.body).includes(invoice.lago_id),
      ),
    ).toHaveLength(0);
  });

  it('never succeeds without a valid payment method in Stripe', async () => {
    await guide.call('POST', '/customers', {
      customer: {
        external_id: 'no_method',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
        },
      },
    });
    const providerCustomerId = await eventually(async () => {
      const got = await guide.call('GET', '/customers/no_method');
      return got.body.customer.billing_configuration.provider_customer_id ?? undefined;
    }, 'the Stripe customer');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'no_method',
      currency: 'USD',
      amountCents: 5_000,
    });
    // The reason is set only by the collection job once it looked and found nothing to charge.
    const waiting = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_waiting_reason === null ? undefined : state;
    }, 'the collection to run and say why it waits');
    expect(waiting).toMatchObject({ payment_status: 'pending', payment_waiting_reason: 'no_payment_method' });
    await guide.idle();
    expect(await invoiceState(invoice.lago_id)).toMatchObject({
      payment_status: 'pending',
      payment_waiting_reason: 'no_payment_method',
    });
    const intents = await guide.stripe(secretKey).paymentIntents.list({ customer: providerCustomerId });
    expect(intents.data).toHaveLength(0);
    expect((await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`)).body.payments).toHaveLength(
      0,
    );
  });

  it('says an invoice waits because its customer is not linked to Stripe', async () => {
    await guide.call('POST', '/customers', { customer: { external_id: 'not_linked', currency: 'USD' } });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'not_linked',
      currency: 'USD',
      amountCents: 5_000,
    });
    const waiting = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_waiting_reason === null ? undefined : state;
    }, 'the collection to run and say why it waits');
    expect(waiting).toMatchObject({
      payment_status: 'pending',
      payment_waiting_reason: 'customer_has_no_payment_provider',
    });
  });

  it('pays a zero invoice without Stripe', async () => {
    await customerWithSavedMethod(guide, { externalId: 'free', currency: 'USD', code });
    const addOn = await guide.call('POST', '/add_ons', {
      add_on: {
        name: 'Free onboarding',
        code: 'free_onboarding',
        amount_cents: 1000,
        amount_currency: 'USD',
      },
    });
    expect(addOn.status).toBe(200);
    const invoice = await guide.call('POST', '/invoices', {
      invoice: {
        external_customer_id: 'free',
        currency: 'USD',
        fees: [{ add_on_code: 'free_onboarding', unit_amount_cents: 0 }],
      },
    });
    expect(invoice.body.invoice.total_amount_cents).toBe(0);
    await eventually(
      async () => (await invoiceState(invoice.body.invoice.lago_id)).payment_status === 'succeeded',
      'the zero invoice to be settled',
    );
    expect(
      (await guide.call('GET', `/payments?invoice_id=${invoice.body.invoice.lago_id}`)).body.payments,
    ).toHaveLength(0);
  });
});
