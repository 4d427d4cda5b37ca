import { describe, expect, it } from 'vitest';
import {
  AddOnCreateInput,
  AddOnUpdateInput,
  CustomerInput,
  CustomerListQuery,
  CustomerSchema,
  PaymentCreateInput,
  PaymentListQuery,
  StripeConnectionCreateInput,
  StripeConnectionUpdateInput,
  serializeCustomerExtended,
} from '../src/index.js';
import { linkedCustomer } from './fixtures.js';

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
});
