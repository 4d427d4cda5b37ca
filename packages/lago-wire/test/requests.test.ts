import { describe, expect, it } from 'vitest';
import {
  AddOnCreateInput,
  AddOnUpdateInput,
  CreditNoteCreateInput,
  CreditNoteListQuery,
  CreditNoteSchema,
  CustomerInput,
  CustomerListQuery,
  CustomerSchema,
  InvoiceCreateInput,
  InvoiceExtendedSchema,
  InvoiceListQuery,
  InvoiceUpdateInput,
  InvoiceVoidInput,
  OrganizationUpdateInput,
  PaymentCreateInput,
  PaymentListQuery,
  PaymentRequestCreateInput,
  PaymentRequestListQuery,
  StripeConnectionCreateInput,
  StripeConnectionUpdateInput,
  serializeCreditNote,
  serializeCustomer,
  serializeCustomerExtended,
  serializeInvoiceExtended,
  WebhookEndpointCreateInput,
  WebhookEndpointUpdateInput,
} from '../src/index.js';
import { creditNote, invoice, linkedCustomer } from './fixtures.js';

describe('request schemas give the use cases their input', () => {
  it('a customer body: keys left out stay out, null clears, the address takes only the keys sent', () => {
    const input = CustomerInput.parse({
      external_id: 'c1',
      name: null,
      city: 'Lyon',
      country: 'FR',
      billing_configuration: {
        payment_provider: 'stripe',
        sync_with_provider: true,
        provider_customer_id: null,
      },
    });
    expect(input).toEqual({
      externalId: 'c1',
      name: null,
      address: { city: 'Lyon', country: 'FR' },
      billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true, providerCustomerId: null },
    });
    expect(
      Object.entries(input)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k),
    ).toEqual(['externalId', 'name', 'address', 'billingConfiguration']);
    expect(CustomerInput.parse({ external_id: 'c2' })).toEqual({ externalId: 'c2' });
    expect(CustomerInput.safeParse({ external_id: 'c3', country: 'France' }).success).toBe(false);
  });

  it('customer list filters', () => {
    expect(CustomerListQuery.parse({ search_term: 'acme', countries: ['FR'] })).toEqual({
      searchTerm: 'acme',
      countries: ['FR'],
    });
  });
});

describe('add-on and payment bodies', () => {
  it('an add-on: numeric strings are cents, an update renames with code and changes only what is sent', () => {
    expect(
      AddOnCreateInput.parse({ code: 'setup', name: 'Setup', amount_cents: '1200', amount_currency: 'EUR' }),
    ).toEqual({ code: 'setup', name: 'Setup', amountCents: 1200, amountCurrency: 'EUR' });
    expect(AddOnUpdateInput.parse({ code: 'setup-2', description: null })).toEqual({
      newCode: 'setup-2',
      description: null,
    });
  });

  it('a manual payment: the invoice id in lower case, paid_at as a date, absent when not sent', () => {
    const id = '0B6F5A3E-7C4F-4C1E-9D5E-2F3B4A5C6D7E';
    expect(
      PaymentCreateInput.parse({
        invoice_id: id,
        amount_cents: 500,
        reference: 'wire',
        paid_at: '2026-02-03',
      }),
    ).toEqual({
      invoiceId: id.toLowerCase(),
      amountCents: 500,
      reference: 'wire',
      paidAt: new Date('2026-02-03T00:00:00Z'),
    });
    expect(
      PaymentCreateInput.parse({ invoice_id: 'x', amount_cents: 1, reference: 'r' }).paidAt,
    ).toBeUndefined();
    expect(
      PaymentCreateInput.safeParse({
        invoice_id: 'x',
        amount_cents: 1,
        reference: 'r',
        paid_at: '2026-02-30',
      }).success,
    ).toBe(false);
    expect(PaymentListQuery.parse({ invoice_id: id })).toEqual({ invoiceId: id.toLowerCase() });
  });
});

describe('invoice bodies and filters', () => {
  it('a one-off invoice: fees in the use case’s names, skip_psp from the invoice or else any fee', () => {
    expect(
      InvoiceCreateInput.parse({
        external_customer_id: 'c1',
        fees: [{ add_on_code: 'setup', unit_amount_cents: '250', units: '1.5', skip_psp: true }],
      }),
    ).toEqual({
      externalCustomerId: 'c1',
      skipPsp: true,
      fees: [{ addOnCode: 'setup', unitAmountCents: 250, units: '1.5' }],
    });
    expect(
      InvoiceCreateInput.parse({
        external_customer_id: 'c1',
        currency: 'EUR',
        skip_psp: false,
        fees: [{ add_on_code: 'setup', skip_psp: true, description: null }],
      }),
    ).toEqual({
      externalCustomerId: 'c1',
      currency: 'EUR',
      skipPsp: false,
      fees: [{ addOnCode: 'setup', description: null }],
    });
    expect(InvoiceCreateInput.parse({ external_customer_id: 'c1' })).toEqual({
      externalCustomerId: 'c1',
      skipPsp: false,
      fees: [],
    });
  });

  it('an update carries only what is sent; a metadata entry without id is new', () => {
    expect(InvoiceUpdateInput.parse({ payment_status: 'succeeded' })).toEqual({ paymentStatus: 'succeeded' });
    expect(InvoiceUpdateInput.parse({ metadata: [{ key: 'k', value: 'v' }] })).toEqual({
      metadata: [{ id: null, key: 'k', value: 'v' }],
    });
    expect(InvoiceVoidInput.parse({})).toEqual({ generateCreditNote: false });
    expect(InvoiceVoidInput.parse({ generate_credit_note: true })).toEqual({ generateCreditNote: true });
  });

  it('list filters: both spellings, scalar or array; null when no invoice can match', () => {
    expect(
      InvoiceListQuery.parse({
        customer_external_id: 'c1',
        status: 'finalized',
        payment_statuses: ['pending', 'failed'],
        currency: 'eur',
        amount_from: '100',
        payment_dispute_lost: 'false',
        invoice_type: 'one_off',
      }),
    ).toEqual({
      externalCustomerId: 'c1',
      statuses: ['finalized'],
      paymentStatuses: ['pending', 'failed'],
      currency: 'EUR',
      amountFrom: 100,
      paymentDisputeLost: false,
    });
    expect(InvoiceListQuery.parse({ statuses: ['pending', 'failed'] })).toBeNull();
    expect(InvoiceListQuery.parse({ invoice_type: 'subscription' })).toBeNull();
    expect(InvoiceListQuery.parse({})).toEqual({});
    expect(InvoiceListQuery.safeParse({ issuing_date_from: '2026-02-30' }).success).toBe(false);
  });
});

describe('credit note bodies and filters', () => {
  it('ids in lower case, amounts as cents, what is left out stays out', () => {
    const id = '0B6F5A3E-7C4F-4C1E-9D5E-2F3B4A5C6D7E';
    expect(
      CreditNoteCreateInput.parse({
        invoice_id: id,
        refund_amount_cents: '100',
        reason: null,
        items: [{ fee_id: id, amount_cents: 100 }],
      }),
    ).toEqual({
      invoiceId: id.toLowerCase(),
      items: [{ feeId: id.toLowerCase(), amountCents: 100 }],
      reason: null,
      refundAmountCents: 100,
    });
    expect(CreditNoteCreateInput.safeParse({ invoice_id: id }).success).toBe(false);
  });

  it('list filters', () => {
    expect(CreditNoteListQuery.parse({ currency: 'usd', amount_to: '500', reason: 'other' })).toEqual({
      currency: 'USD',
      amountTo: 500,
      reason: 'other',
    });
    expect(CreditNoteListQuery.safeParse({ reason: 'because' }).success).toBe(false);
  });
});

describe('webhook endpoint and organization bodies', () => {
  it('an endpoint: JWT and every event unless told, ["*"] is every event, a repeated type counts once', () => {
    expect(WebhookEndpointCreateInput.parse({ webhook_url: 'https://example.com/hook' })).toEqual({
      webhookUrl: 'https://example.com/hook',
      signatureAlgo: 'jwt',
      name: null,
      eventTypes: null,
    });
    expect(
      WebhookEndpointCreateInput.parse({
        webhook_url: 'https://example.com/hook',
        signature_algo: 'hmac',
        event_types: ['invoice.voided', 'invoice.voided'],
      }).eventTypes,
    ).toEqual(['invoice.voided']);
    expect(WebhookEndpointCreateInput.safeParse({ webhook_url: 'ftp://example.com' }).success).toBe(false);
    expect(
      WebhookEndpointCreateInput.safeParse({ webhook_url: 'https://example.com', event_types: ['nope'] })
        .success,
    ).toBe(false);
  });

  it('an endpoint update carries only what is sent; the organization only its webhook URL', () => {
    expect(WebhookEndpointUpdateInput.parse({ event_types: ['*'] })).toEqual({ eventTypes: null });
    expect(WebhookEndpointUpdateInput.parse({ name: null })).toEqual({ name: null });
    expect(OrganizationUpdateInput.parse({ webhook_url: 'http://example.com/h', name: 'x' })).toEqual({
      webhookUrl: 'http://example.com/h',
    });
    expect(OrganizationUpdateInput.parse({ name: 'x' })).toEqual({});
  });
});

describe('payment request bodies and filters', () => {
  it('invoice ids in lower case; no email is the customer’s (null); the payment method is ignored', () => {
    const id = '0B6F5A3E-7C4F-4C1E-9D5E-2F3B4A5C6D7E';
    expect(
      PaymentRequestCreateInput.parse({
        external_customer_id: 'c1',
        lago_invoice_ids: [id],
        payment_method: { payment_method_type: 'provider' },
      }),
    ).toEqual({ externalCustomerId: 'c1', email: null, invoiceIds: [id.toLowerCase()] });
    expect(
      PaymentRequestCreateInput.safeParse({ external_customer_id: 'c1', lago_invoice_ids: [] }).success,
    ).toBe(false);
    expect(PaymentRequestListQuery.parse({ payment_status: 'failed', currency: 'EUR' })).toEqual({
      paymentStatus: 'failed',
      currency: 'EUR',
    });
  });
});

describe('Stripe connection bodies', () => {
  it('the secret key is the use case’s secretKey; an update carries only what is sent', () => {
    expect(
      StripeConnectionCreateInput.parse({ name: 'Main', code: 'main', secret_key: 'sk_test_1' }),
    ).toEqual({ name: 'Main', code: 'main', secretKey: 'sk_test_1' });
    expect(StripeConnectionUpdateInput.parse({ success_redirect_url: null })).toEqual({
      successRedirectUrl: null,
    });
  });
});

describe('response schemas describe what the serializers return', () => {
  it('a customer', () => {
    const wire = serializeCustomerExtended(linkedCustomer, {
      connectionCode: 'main',
      documentNumberPrefix: 'ACM-1A2B',
    });
    expect(CustomerSchema.strict().parse(wire)).toEqual(wire);
  });

  it('an invoice with its fees', () => {
    const customer = serializeCustomer(linkedCustomer, {
      connectionCode: 'main',
      documentNumberPrefix: 'ACM',
    });
    const wire = serializeInvoiceExtended(invoice, { customer, documentNumberPrefix: 'ACM' });
    expect(wire.fees.length).toBeGreaterThan(0);
    expect(InvoiceExtendedSchema.parse(wire)).toEqual(wire);
  });

  it('a credit note with its items’ fees', () => {
    const customer = serializeCustomer(linkedCustomer, {
      connectionCode: 'main',
      documentNumberPrefix: 'ACM',
    });
    const wire = serializeCreditNote(creditNote, { invoice, customer });
    expect(wire.items[0]?.fee).not.toBeNull();
    expect(CreditNoteSchema.strict().parse(wire)).toEqual(wire);
  });
});
