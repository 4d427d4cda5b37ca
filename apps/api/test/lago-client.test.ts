import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, getLagoError } from 'lago-javascript-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectStripe, customerWithCard, type Harness, startHarness } from './harness.js';

/** The published Lago client, unmodified, against the API over real HTTP. */
describe('lago-javascript-client 1.53.0 main flow', () => {
  let h: Harness;
  let server: ReturnType<typeof serve>;
  let lago: ReturnType<typeof Client>;

  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    lago = Client(h.acme.apiKey, { baseUrl: `http://127.0.0.1:${port}/api/v1` });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('runs add-on → customer → checkout → invoice → retry → credit note → void → payments, with Lago errors', async () => {
    const { data: addOnData } = await lago.addOns.createAddOn({
      add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' },
    });
    expect(addOnData.add_on.code).toBe('setup_fee');
    expect((await lago.addOns.findAddOn('setup_fee')).data.add_on.amount_cents).toBe(50000);

    const { data: customerData } = await lago.customers.createCustomer({
      customer: {
        external_id: 'cust_001',
        name: 'Acme',
        email: 'billing@acme.test',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: 'stripe_test',
          sync_with_provider: true,
          sync: true,
          provider_payment_methods: ['card'],
        },
      },
    });
    expect(customerData.customer.billing_configuration?.payment_provider).toBe('stripe');
    expect(customerData.customer.billing_configuration?.provider_customer_id).toMatch(/^cus_/);

    const { data: checkout } = await lago.customers.generateCustomerCheckoutUrl('cust_001');
    expect(checkout.customer.checkout_url).toMatch(/^https?:\/\//);
    expect(checkout.customer.external_customer_id).toBe('cust_001');

    const { data: invoiceData } = await lago.invoices.createInvoice({
      invoice: {
        external_customer_id: 'cust_001',
        currency: 'USD',
        fees: [{ add_on_code: 'setup_fee', units: 2, unit_amount_cents: 12000 }],
      },
    });
    const invoice = invoiceData.invoice;
    expect(invoice).toMatchObject({
      status: 'finalized',
      invoice_type: 'one_off',
      total_amount_cents: 24000,
      payment_status: 'pending',
    });

    expect((await lago.invoices.findInvoice(invoice.lago_id)).data.invoice.lago_id).toBe(invoice.lago_id);
    const { data: listed } = await lago.invoices.findAllInvoices({
      external_customer_id: 'cust_001',
      'payment_statuses[]': ['pending', 'failed'],
    } as Parameters<typeof lago.invoices.findAllInvoices>[0]);
    expect(listed.invoices.map((i) => i.lago_id)).toEqual([invoice.lago_id]);
    expect(listed.meta).toMatchObject({ current_page: 1, total_count: 1 });

    const retried = await lago.invoices.retryPayment(invoice.lago_id);
    expect(retried.status).toBe(200);
    expect(retried.data).toBeNull();

    const fee = invoice.fees?.[0];
    expect(fee?.lago_id).toBeTruthy();
    const { data: noteData } = await lago.creditNotes.createCreditNote({
      credit_note: {
        invoice_id: invoice.lago_id,
        reason: 'order_change',
        offset_amount_cents: 100,
        refund_amount_cents: 0,
        items: [{ fee_id: fee?.lago_id as string, amount_cents: 100 }],
      },
    } as Parameters<typeof lago.creditNotes.createCreditNote>[0]);
    expect(noteData.credit_note).toMatchObject({ credit_status: 'available', refund_status: null });

    const { data: voided } = await lago.invoices.voidInvoice(invoice.lago_id);
    expect(voided.invoice.status).toBe('voided');

    try {
      await lago.invoices.retryPayment(invoice.lago_id);
      expect.unreachable('retry after void must be refused');
    } catch (error) {
      const body = await getLagoError<typeof lago.invoices.retryPayment>(error);
      expect(body).toEqual({ status: 405, error: 'Method Not Allowed', code: 'invalid_status' });
    }

    const { data: payments } = await lago.payments.findAllPayments({ external_customer_id: 'cust_001' });
    expect(payments.payments).toEqual([]);
    expect(payments.meta).toMatchObject({ total_count: 0 });

    try {
      await lago.customers.findCustomer('does_not_exist');
      expect.unreachable('an unknown customer must be refused');
    } catch (error) {
      const body = await getLagoError<typeof lago.customers.findCustomer>(error);
      expect(body).toEqual({ status: 404, error: 'Not Found', code: 'customer_not_found' });
    }

    const { data: key } = await lago.webhooks.fetchJsonPublicKey();
    expect(key.webhook.public_key).toBe(h.deps.signingKey.publicKeyBase64());
  });

  it('asks for an invoice payment URL, and gets Lago’s error for a voided invoice', async () => {
    await lago.customers.createCustomer({
      customer: {
        external_id: 'cust_link',
        currency: 'USD',
        billing_configuration: { payment_provider: 'stripe', sync_with_provider: true, sync: true },
      },
    });
    const { data: created } = await lago.invoices.createInvoice({
      invoice: { external_customer_id: 'cust_link', currency: 'USD', fees: [{ add_on_code: 'setup_fee' }] },
    });
    const { data } = await lago.invoices.invoicePaymentUrl(created.invoice.lago_id);
    expect(data.invoice_payment_details).toMatchObject({
      lago_invoice_id: created.invoice.lago_id,
      external_customer_id: 'cust_link',
      payment_provider: 'stripe',
      payment_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/),
    });

    const { data: other } = await lago.invoices.createInvoice({
      invoice: { external_customer_id: 'cust_link', currency: 'USD', fees: [{ add_on_code: 'setup_fee' }] },
    });
    await lago.invoices.voidInvoice(other.invoice.lago_id);
    try {
      await lago.invoices.invoicePaymentUrl(other.invoice.lago_id);
      throw new Error('expected a refusal');
    } catch (error) {
      const body = await getLagoError<typeof lago.invoices.invoicePaymentUrl>(error);
      expect(body).toMatchObject({
        status: 422,
        code: 'validation_errors',
        error_details: { base: ['invalid_invoice_status_or_payment_status'] },
      });
    }
  });

  it('pays through Stripe and reads payments, methods, webhook endpoints and the organization', async () => {
    await customerWithCard(h, 'cust_paid');
    const { data } = await lago.invoices.createInvoice({
      invoice: { external_customer_id: 'cust_paid', currency: 'USD', fees: [{ add_on_code: 'setup_fee' }] },
    });
    await collect(h, data.invoice.lago_id);
    expect((await lago.invoices.findInvoice(data.invoice.lago_id)).data.invoice.payment_status).toBe(
      'succeeded',
    );

    const { data: payments } = await lago.customers.findAllCustomerPayments('cust_paid', {});
    const payment = payments.payments[0];
    expect(payment).toMatchObject({
      amount_cents: 50000,
      payment_status: 'succeeded',
      invoice_ids: [data.invoice.lago_id],
    });
    const found = (await lago.payments.findPayment(payment?.lago_id as string)).data as unknown as {
      payment: { lago_id: string };
    };
    expect(found.payment.lago_id).toBe(payment?.lago_id);

    const { data: methods } = await lago.customers.findAllCustomersPaymentMethods('cust_paid', {});
    const method = methods.payment_methods[0];
    expect(method).toMatchObject({ is_default: true, payment_provider_type: 'stripe' });
    const { data: chosen } = await lago.customers.paymentMethodSetAsDefault(
      method?.lago_id as string,
      'cust_paid',
    );
    expect(chosen.payment_method.lago_id).toBe(method?.lago_id);

    const { data: endpoint } = await lago.webhookEndpoints.createWebhookEndpoint({
      webhook_endpoint: { webhook_url: 'https://hooks.acme.test/lago', signature_algo: 'hmac' },
    });
    expect(endpoint.webhook_endpoint.signature_algo).toBe('hmac');
    const { data: endpoints } = await lago.webhookEndpoints.findAllWebhookEndpoints({});
    expect(endpoints.webhook_endpoints.map((e) => e.webhook_url)).toEqual(['https://hooks.acme.test/lago']);

    const { data: org } = await lago.organizations.updateOrganization({
      organization: { webhook_url: 'https://hooks.acme.test/first' },
    });
    expect(org.organization.webhook_urls).toContain('https://hooks.acme.test/first');
    expect((await lago.organizations.findOrganization()).data.organization.lago_id).toBe(
      h.acme.organizationId,
    );

    const text = await lago.webhooks.fetchPublicKey();
    expect(text.data).toBe(h.deps.signingKey.publicKeyBase64());
  });

  it('updates an invoice, voids a credit note, records a manual payment and deletes a customer', async () => {
    await lago.addOns
      .createAddOn({
        add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' },
      })
      .catch(() => undefined);
    await customerWithCard(h, 'cust_lifecycle');
    const { data: created } = await lago.invoices.createInvoice({
      invoice: {
        external_customer_id: 'cust_lifecycle',
        currency: 'USD',
        fees: [{ add_on_code: 'setup_fee' }],
      },
    } as Parameters<typeof lago.invoices.createInvoice>[0]);
    const invoice = created.invoice;

    const { data: updated } = await lago.invoices.updateInvoice(invoice.lago_id, {
      invoice: { metadata: [{ key: 'po', value: 'PO-9' }] },
    } as Parameters<typeof lago.invoices.updateInvoice>[1]);
    expect(updated.invoice.metadata).toMatchObject([{ key: 'po', value: 'PO-9' }]);

    await collect(h, invoice.lago_id);
    const { data: noteData } = await lago.creditNotes.createCreditNote({
      credit_note: {
        invoice_id: invoice.lago_id,
        credit_amount_cents: 500,
        refund_amount_cents: 0,
        items: [{ fee_id: invoice.fees?.[0]?.lago_id as string, amount_cents: 500 }],
      },
    } as Parameters<typeof lago.creditNotes.createCreditNote>[0]);
    const { data: voidedNote } = await lago.creditNotes.voidCreditNote(noteData.credit_note.lago_id);
    expect(voidedNote.credit_note).toMatchObject({ credit_status: 'voided', balance_amount_cents: 0 });
    try {
      await lago.creditNotes.voidCreditNote(noteData.credit_note.lago_id);
      expect.unreachable('a second void must be refused');
    } catch (error) {
      const body = await getLagoError<typeof lago.creditNotes.voidCreditNote>(error);
      expect(body).toEqual({ status: 405, error: 'Method Not Allowed', code: 'no_voidable_amount' });
    }

    try {
      await lago.invoices.updateInvoice(invoice.lago_id, {
        invoice: { payment_status: 'pending' },
      } as Parameters<typeof lago.invoices.updateInvoice>[1]);
      expect.unreachable('a paid invoice keeps its status');
    } catch (error) {
      const body = await getLagoError<typeof lago.invoices.updateInvoice>(error);
      expect(body).toMatchObject({ status: 405, code: 'invalid_status' });
    }

    await h.call('POST', '/api/v1/customers', {
      body: { customer: { external_id: 'cust_manual', currency: 'USD' } },
    });
    const { data: unpaid } = await lago.invoices.createInvoice({
      invoice: { external_customer_id: 'cust_manual', currency: 'USD', fees: [{ add_on_code: 'setup_fee' }] },
    } as Parameters<typeof lago.invoices.createInvoice>[0]);
    const { data: manual } = await lago.payments.createPayment({
      payment: {
        invoice_id: unpaid.invoice.lago_id,
        amount_cents: 50000,
        reference: 'bank transfer 7',
        paid_at: '2026-11-25',
      },
    } as Parameters<typeof lago.payments.createPayment>[0]);
    expect(manual.payment).toMatchObject({
      type: 'manual',
      payment_status: 'succeeded',
      amount_cents: 50000,
      reference: 'bank transfer 7',
    });
    expect((await lago.invoices.findInvoice(unpaid.invoice.lago_id)).data.invoice.payment_status).toBe(
      'succeeded',
    );
    try {
      await lago.payments.createPayment({
        payment: { invoice_id: unpaid.invoice.lago_id, amount_cents: 0, reference: 'x' },
      } as Parameters<typeof lago.payments.createPayment>[0]);
      expect.unreachable('a zero amount must be refused');
    } catch (error) {
      const body = await getLagoError<typeof lago.payments.createPayment>(error);
      expect(body).toMatchObject({ status: 422, error_details: { amount_cents: ['invalid_value'] } });
    }

    const { data: deleted } = await lago.customers.destroyCustomer('cust_lifecycle');
    expect(deleted.customer.external_id).toBe('cust_lifecycle');
    try {
      await lago.customers.findCustomer('cust_lifecycle');
      expect.unreachable('a deleted customer is gone');
    } catch (error) {
      const body = await getLagoError<typeof lago.customers.findCustomer>(error);
      expect(body).toMatchObject({ status: 404, code: 'customer_not_found' });
    }
    expect((await lago.invoices.findInvoice(invoice.lago_id)).data.invoice.payment_status).toBe('succeeded');
  });
});
