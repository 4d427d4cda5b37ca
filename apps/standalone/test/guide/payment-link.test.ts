/**
 * Lago's invoice payment URL, end to end: a customer without a saved method pays an invoice on
 * Stripe's hosted page, and the invoice is settled exactly once whichever of the link and
 * collection comes first. Real HTTP, PostgreSQL (or PGlite) and the emulator; the customer's side
 * is the hosted page, submitted as a browser would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithSavedMethod,
  eventually,
  type Guide,
  oneOffInvoice,
  startGuide,
  submitCheckout,
} from './harness.js';

describe('guide: paying an invoice through its payment link', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
  });
  afterAll(() => guide.stop());

  const invoiceState = async (id: string) => (await guide.call('GET', `/invoices/${id}`)).body.invoice;
  const intentsOf = async (providerCustomerId: string) =>
    (await guide.stripe(secretKey).paymentIntents.list({ customer: providerCustomerId })).data;
  const paid = (id: string) =>
    eventually(async () => {
      const state = await invoiceState(id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the invoice to be paid');
  const webhooksAbout = (type: string, invoiceId: string) =>
    guide.webhooks.filter((w) => w.type === type && JSON.stringify(w.body).includes(invoiceId));

  /** A customer linked to Stripe who has not saved a payment method. */
  async function customerWithoutMethod(externalId: string, currency: string): Promise<string> {
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: externalId,
        name: `Customer ${externalId}`,
        currency,
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: ['card'],
        },
      },
    });
    expect(created.status).toBe(200);
    return eventually(async () => {
      const got = await guide.call('GET', `/customers/${externalId}`);
      return (got.body.customer.billing_configuration.provider_customer_id as string | null) ?? undefined;
    }, 'the Stripe customer');
  }

  async function paymentUrl(invoiceId: string) {
    return guide.call('POST', `/invoices/${invoiceId}/payment_url`);
  }

  it('a customer without a saved method pays on the hosted page: one intent, the invoice paid once, the usual webhooks', async () => {
    const providerCustomerId = await customerWithoutMethod('link_payer', 'EUR');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'link_payer',
      currency: 'EUR',
      amountCents: 8_400,
    });
    await guide.idle();
    expect(await invoiceState(invoice.lago_id)).toMatchObject({
      payment_status: 'pending',
      payment_waiting_reason: 'no_payment_method',
    });

    const link = await paymentUrl(invoice.lago_id);
    expect(link.status).toBe(200);
    const details = link.body.invoice_payment_details;
    expect(details).toMatchObject({
      lago_invoice_id: invoice.lago_id,
      external_customer_id: 'link_payer',
      payment_provider: 'stripe',
    });
    expect((await paymentUrl(invoice.lago_id)).body.invoice_payment_details.payment_url).toBe(
      details.payment_url,
    );
    expect(await invoiceState(invoice.lago_id)).toMatchObject({
      payment_waiting_reason: 'payment_link_open',
    });

    // The customer opens the page, is declined once, and pays with another card.
    const page = await fetch(details.payment_url);
    const html = await page.text();
    expect(html).toContain('Pay €84.00');
    expect(html).toContain(invoice.number);
    const declined = await submitCheckout(details.payment_url, 'card_declined');
    expect(declined.status).toBe(402);
    expect(declined.html).toContain('Your card was declined.');
    await guide.idle();
    expect(await invoiceState(invoice.lago_id)).toMatchObject({ payment_status: 'pending' });
    expect(webhooksAbout('invoice.payment_failure', invoice.lago_id)).toEqual([]);

    const accepted = await submitCheckout(details.payment_url, 'card_visa');
    expect(accepted.status).toBe(200);
    expect(accepted.html).toContain('Payment received');
    expect(await paid(invoice.lago_id)).toMatchObject({
      total_paid_amount_cents: 8_400,
      total_due_amount_cents: 0,
      payment_waiting_reason: null,
    });

    const intents = await intentsOf(providerCustomerId);
    expect(intents.map((i) => [i.amount, i.status])).toEqual([[8_400, 'succeeded']]);
    expect(intents[0]?.metadata).toMatchObject({
      lago_invoice_id: invoice.lago_id,
      payment_type: 'one-time',
    });
    const payments = (await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`)).body.payments;
    expect(payments).toMatchObject([
      { payment_status: 'succeeded', provider_payment_id: intents[0]?.id, amount_cents: 8_400 },
    ]);

    await guide.idle();
    await eventually(
      () => webhooksAbout('invoice.payment_status_updated', invoice.lago_id).length === 1,
      'invoice.payment_status_updated',
    );
    await eventually(
      () =>
        guide.webhooks.find(
          (w) => w.type === 'payment.succeeded' && w.body.payment.lago_payable_id === invoice.lago_id,
        ),
      'payment.succeeded',
    );
    expect(
      guide.webhooks.filter(
        (w) => w.type === 'payment.succeeded' && w.body.payment.lago_payable_id === invoice.lago_id,
      ),
    ).toHaveLength(1);
    expect(webhooksAbout('invoice.payment_failure', invoice.lago_id)).toEqual([]);
    expect((await paymentUrl(invoice.lago_id)).body).toMatchObject({
      status: 422,
      error_details: { base: ['invalid_invoice_status_or_payment_status'] },
    });
  });

  it('link first, collection after: a card saved while the page is open is not charged; the link pays once', async () => {
    const providerCustomerId = await customerWithoutMethod('link_then_card', 'USD');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'link_then_card',
      currency: 'USD',
      amountCents: 5_000,
    });
    await guide.idle();
    const url = (await paymentUrl(invoice.lago_id)).body.invoice_payment_details.payment_url;

    // The customer also saves a card (which asks for collection), and the merchant retries.
    const setup = await guide.call('POST', '/customers/link_then_card/checkout_url');
    expect((await submitCheckout(setup.body.customer.checkout_url, 'card_visa')).status).toBeLessThan(400);
    await eventually(async () => {
      const methods = await guide.call('GET', '/customers/link_then_card/payment_methods');
      return methods.body.payment_methods.length === 1;
    }, 'the saved card');
    const retry = await guide.call('POST', `/invoices/${invoice.lago_id}/retry_payment`);
    expect(retry.body).toMatchObject({
      status: 405,
      code: 'payment_processor_is_currently_handling_payment',
    });
    await guide.idle();
    expect(await intentsOf(providerCustomerId)).toEqual([]);
    expect(await invoiceState(invoice.lago_id)).toMatchObject({ payment_status: 'pending' });

    expect((await submitCheckout(url, 'card_mastercard')).status).toBe(200);
    await paid(invoice.lago_id);
    await guide.idle();
    // Collection asked again afterwards finds the invoice paid.
    expect((await guide.call('POST', `/invoices/${invoice.lago_id}/retry_payment`)).body).toMatchObject({
      status: 405,
      code: 'invalid_status',
    });
    const intents = await intentsOf(providerCustomerId);
    expect(intents.map((i) => [i.amount, i.status])).toEqual([[5_000, 'succeeded']]);
    expect(intents[0]?.payment_method).not.toBe(
      (await guide.call('GET', '/customers/link_then_card/payment_methods')).body.payment_methods[0]
        .provider_method_id,
    );
  });

  it('collection first, link after: no page while the debit is out, and none once it paid', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'debit_first',
      currency: 'EUR',
      code,
      methods: ['sepa_debit'],
      instrument: 'sepa_success',
    });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'debit_first',
      currency: 'EUR',
      amountCents: 7_700,
    });
    await eventually(
      async () => (await intentsOf(providerCustomerId)).some((i) => i.status === 'processing'),
      'the SEPA debit to be processing',
    );
    await guide.idle();
    expect((await paymentUrl(invoice.lago_id)).body).toEqual({
      status: 405,
      error: 'Method Not Allowed',
      code: 'payment_processor_is_currently_handling_payment',
    });
    const sessions = await guide.stripe(secretKey).checkout.sessions.list({ customer: providerCustomerId });
    expect(sessions.data.filter((s) => s.mode === 'payment')).toEqual([]);

    await guide.controls.advanceClock(60);
    await paid(invoice.lago_id);
    expect((await paymentUrl(invoice.lago_id)).body).toMatchObject({
      status: 422,
      error_details: { base: ['invalid_invoice_status_or_payment_status'] },
    });
    const intents = await intentsOf(providerCustomerId);
    expect(intents.map((i) => [i.amount, i.status])).toEqual([[7_700, 'succeeded']]);
  });

  it('a link that expires unpaid hands the invoice back to collection, which charges the card saved meanwhile', async () => {
    const providerCustomerId = await customerWithoutMethod('link_expires', 'USD');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'link_expires',
      currency: 'USD',
      amountCents: 2_600,
    });
    await guide.idle();
    const url = (await paymentUrl(invoice.lago_id)).body.invoice_payment_details.payment_url;
    // A decline leaves an intent on the page; it is canceled when the page expires.
    expect((await submitCheckout(url, 'card_insufficient_funds')).status).toBe(402);

    const setup = await guide.call('POST', '/customers/link_expires/checkout_url');
    expect((await submitCheckout(setup.body.customer.checkout_url, 'card_visa')).status).toBeLessThan(400);
    await guide.idle();
    expect((await intentsOf(providerCustomerId)).map((i) => i.status)).toEqual(['requires_payment_method']);

    // A day later by Stripe's clock the page expires (checkout.session.expired).
    await guide.controls.advanceClock(24 * 60 * 60);
    expect((await fetch(url)).status).toBe(410);
    await paid(invoice.lago_id);
    await guide.idle();
    const intents = await intentsOf(providerCustomerId);
    expect(intents.map((i) => [i.amount, i.status]).sort()).toEqual([
      [2_600, 'canceled'],
      [2_600, 'succeeded'],
    ]);
    const payments = (await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`)).body.payments;
    expect(payments.map((p: { payment_status: string }) => p.payment_status).sort()).toEqual([
      'failed',
      'succeeded',
    ]);
    expect(webhooksAbout('invoice.payment_failure', invoice.lago_id)).toEqual([]);
  });
});
