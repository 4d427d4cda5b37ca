/**
 * `POST /invoices/{id}/payment_url`: Lago's shape and refusals, over the real app, database and
 * emulator (the hosted page is paid through the emulator's test control, as a customer would).
 */
import { handleStripeCommand, syncCustomerToStripe } from '@payrail/domain';
import { emulatorControls } from '@payrail/stripe-emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStripe, type Harness, leaveAttemptInFlight, startHarness } from './harness.js';

interface PaymentDetails {
  lago_customer_id: string;
  lago_invoice_id: string;
  external_customer_id: string;
  payment_provider: string;
  payment_url: string;
  expires_at: string;
}

describe('invoice payment URL', () => {
  let h: Harness;
  let stripe: Stripe;
  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
    stripe = new Stripe('sk_test_payrail_ok_1234', {
      host: '127.0.0.1',
      port: h.emulator.port,
      protocol: 'http',
      telemetry: false,
    });
    await h.call('POST', '/api/v1/add_ons', {
      body: { add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' } },
    });
    await h.call('POST', '/api/v1/customers', {
      body: { customer: { external_id: 'cust_plain', currency: 'USD' } },
    });
  });
  afterAll(() => h.close());

  /** A customer linked to Stripe (created in the request) without a saved method. */
  async function linkedCustomer(externalId: string) {
    const res = await h.call('POST', '/api/v1/customers', {
      body: {
        customer: {
          external_id: externalId,
          currency: 'USD',
          billing_configuration: { payment_provider: 'stripe', sync_with_provider: true, sync: true },
        },
      },
    });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    return (
      res.body as { customer: { lago_id: string; billing_configuration: { provider_customer_id: string } } }
    ).customer;
  }

  async function invoiceFor(externalCustomerId: string) {
    const res = await h.call('POST', '/api/v1/invoices', {
      body: {
        invoice: {
          external_customer_id: externalCustomerId,
          currency: 'USD',
          fees: [{ add_on_code: 'setup_fee' }],
        },
      },
    });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    return (res.body as { invoice: { lago_id: string; number: string } }).invoice;
  }

  const paymentUrl = (invoiceId: string, headers: Record<string, string> = {}) =>
    h.call('POST', `/api/v1/invoices/${invoiceId}/payment_url`, { headers });

  describe('happy', () => {
    it('answers Lago’s invoice_payment_details for a body-less POST, and the same URL while the page is open', async () => {
      const customer = await linkedCustomer('cust_link');
      const invoice = await invoiceFor('cust_link');
      const res = await paymentUrl(invoice.lago_id);
      expect(res.status).toBe(200);
      const details = (res.body as { invoice_payment_details: PaymentDetails }).invoice_payment_details;
      expect(details).toEqual({
        lago_customer_id: customer.lago_id,
        lago_invoice_id: invoice.lago_id,
        external_customer_id: 'cust_link',
        payment_provider: 'stripe',
        payment_url: expect.stringMatching(/\/checkout\/cs_test_/),
        expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      });
      const sessionId = details.payment_url.split('/').pop() as string;
      const session = await stripe.checkout.sessions.retrieve(sessionId);
      expect(session).toMatchObject({
        mode: 'payment',
        customer: customer.billing_configuration.provider_customer_id,
        amount_total: 50000,
        currency: 'usd',
        metadata: { lago_invoice_id: invoice.lago_id, payment_type: 'one-time' },
      });

      const again = await paymentUrl(invoice.lago_id);
      expect(
        (again.body as { invoice_payment_details: PaymentDetails }).invoice_payment_details.payment_url,
      ).toBe(details.payment_url);
      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(got.body).toMatchObject({
        invoice: { payment_status: 'pending', payment_waiting_reason: 'payment_link_open' },
      });
      // While it is open, nothing else may charge or change what is due.
      const retry = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/retry_payment`, { raw: '' });
      expect(retry.body).toEqual({
        status: 405,
        error: 'Method Not Allowed',
        code: 'payment_processor_is_currently_handling_payment',
      });
      const voided = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/void`, { raw: '' });
      expect(voided.status).toBe(405);
    });

    it('a retried request with the same Idempotency-Key gets the same link', async () => {
      await linkedCustomer('cust_key');
      const invoice = await invoiceFor('cust_key');
      const first = await paymentUrl(invoice.lago_id, { 'idempotency-key': 'link-1' });
      const second = await paymentUrl(invoice.lago_id, { 'idempotency-key': 'link-1' });
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(
        (await stripe.checkout.sessions.list({ limit: 100 })).data.filter(
          (s) => s.metadata?.lago_invoice_id === invoice.lago_id,
        ),
      ).toHaveLength(1);
    });

    it('once paid on the page, the link is refused with 422 invalid_invoice_status_or_payment_status', async () => {
      await linkedCustomer('cust_paid_link');
      const invoice = await invoiceFor('cust_paid_link');
      const details = (
        (await paymentUrl(invoice.lago_id)).body as { invoice_payment_details: PaymentDetails }
      ).invoice_payment_details;
      const sessionId = details.payment_url.split('/').pop() as string;
      expect((await emulatorControls(h.emulator.url).completeCheckout(sessionId)).ok).toBe(true);
      // What the worker does with the page's webhook: read it and settle the invoice.
      const session = await stripe.checkout.sessions.retrieve(sessionId);
      const connection = (await h.call('GET', '/api/v1/stripe_connections')).body as {
        stripe_connections: { lago_id: string }[];
      };
      const handled = await handleStripeCommand({
        ctx: h.deps.ctx,
        input: {
          organizationId: h.acme.organizationId,
          connectionId: connection.stripe_connections[0]?.lago_id as string,
          providerEventId: 'evt_page_paid',
          occurredAt: new Date(),
          command: {
            kind: 'payment_checkout_changed',
            lagoPaymentId: session.metadata?.lago_payment_id as string,
            providerSessionId: sessionId,
          },
        },
      });
      expect(handled).toMatchObject({ ok: true, value: { result: 'payment_succeeded' } });
      expect((await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`)).body).toMatchObject({
        invoice: {
          payment_status: 'succeeded',
          total_paid_amount_cents: 50000,
          payment_waiting_reason: null,
        },
      });
      const refused = await paymentUrl(invoice.lago_id);
      expect(refused.body).toEqual({
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        error_details: { base: ['invalid_invoice_status_or_payment_status'] },
      });
    });
  });

  describe('errors', () => {
    it('404 for a non-UUID, an unknown id, or another organization’s invoice', async () => {
      const notFound = { status: 404, error: 'Not Found', code: 'invoice_not_found' };
      expect((await paymentUrl('not-a-uuid')).body).toEqual(notFound);
      expect((await paymentUrl('00000000-0000-4000-8000-000000000000')).body).toEqual(notFound);
      const invoice = await invoiceFor('cust_plain');
      const other = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/payment_url`, {
        key: h.globex.apiKey,
      });
      expect(other.body).toEqual(notFound);
    });

    it('422 no_linked_payment_provider for a customer without Stripe, and nothing is created', async () => {
      const invoice = await invoiceFor('cust_plain');
      const res = await paymentUrl(invoice.lago_id);
      expect(res.body).toEqual({
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        error_details: { base: ['no_linked_payment_provider'] },
      });
      const payments = await h.call('GET', `/api/v1/payments?invoice_id=${invoice.lago_id}`);
      expect(payments.body).toMatchObject({ payments: [] });
    });

    it('422 invalid_invoice_status_or_payment_status for a voided invoice', async () => {
      await linkedCustomer('cust_voided');
      const invoice = await invoiceFor('cust_voided');
      await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/void`, { raw: '' });
      expect((await paymentUrl(invoice.lago_id)).body).toMatchObject({
        status: 422,
        error_details: { base: ['invalid_invoice_status_or_payment_status'] },
      });
    });

    it('405 payment_processor_is_currently_handling_payment while a collection attempt is out', async () => {
      const customer = await linkedCustomer('cust_busy');
      const pm = await stripe.paymentMethods.attach('pm_card_visa', {
        customer: customer.billing_configuration.provider_customer_id,
      });
      await stripe.customers.update(customer.billing_configuration.provider_customer_id, {
        invoice_settings: { default_payment_method: pm.id },
      });
      await syncCustomerToStripe({
        ctx: h.deps.ctx,
        input: { organizationId: h.acme.organizationId, customerId: customer.lago_id },
      });
      const invoice = await invoiceFor('cust_busy');
      await leaveAttemptInFlight(h, invoice.lago_id);
      expect((await paymentUrl(invoice.lago_id)).body).toEqual({
        status: 405,
        error: 'Method Not Allowed',
        code: 'payment_processor_is_currently_handling_payment',
      });
    });
  });

  describe('security', () => {
    it('401 without a key', async () => {
      const invoice = await invoiceFor('cust_plain');
      const res = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/payment_url`, { key: null });
      expect(res.body).toEqual({ status: 401, error: 'Unauthorized' });
    });
  });
});
