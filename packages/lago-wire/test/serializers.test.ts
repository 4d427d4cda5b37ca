import type { Payment } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import {
  serializeAddOn,
  serializeCreditNote,
  serializeCustomer,
  serializeCustomerExtended,
  serializeInvoice,
  serializeInvoiceExtended,
  serializeInvoicePaymentDetails,
  serializePayment,
  serializeStripeConnection,
} from '../src/index.js';
import {
  addOn,
  connection,
  creditNote,
  invoice,
  linkedCustomer,
  payment,
  unlinkedCustomer,
} from './fixtures.js';

const refs = { connectionCode: 'stripe_test', documentNumberPrefix: 'ACM' };

function nullsNeverOmitted(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) nullsNeverOmitted(item);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      expect(v, key).not.toBeUndefined();
      nullsNeverOmitted(v);
    }
  }
}

describe('customer', () => {
  it('echoes the Stripe link and never the sync flag', () => {
    const wire = serializeCustomerExtended(linkedCustomer, refs);
    expect(wire.billing_configuration).toMatchObject({
      payment_provider: 'stripe',
      payment_provider_code: 'stripe_test',
      provider_customer_id: 'cus_123',
      sync_with_provider: true,
      provider_payment_methods: ['card'],
    });
    expect(wire.billing_configuration).not.toHaveProperty('sync');
    expect(wire.slug).toBe('ACM-007');
    expect(wire.created_at).toBe('2026-11-26T10:11:12Z');
    nullsNeverOmitted(wire);
  });

  it('renders an unlinked customer with a null provider', () => {
    const wire = serializeCustomer(unlinkedCustomer, { ...refs, connectionCode: null });
    expect(wire.billing_configuration.payment_provider).toBeNull();
    expect(wire.billing_configuration.provider_customer_id).toBeNull();
  });
});

describe('invoice', () => {
  const customer = serializeCustomer(linkedCustomer, refs);

  it('renders a finalized one-off invoice with its fees', () => {
    const wire = serializeInvoiceExtended(invoice, { customer, documentNumberPrefix: 'ACM' });
    expect(wire).toMatchObject({
      status: 'finalized',
      invoice_type: 'one_off',
      payment_status: 'pending',
      total_amount_cents: 24000,
      total_due_amount_cents: 24000,
      voided_at: null,
      payment_dispute_lost_at: null,
    });
    expect(wire.fees[0]).toMatchObject({
      lago_id: invoice.fees[0]!.id,
      units: '2',
      precise_unit_amount: '120.00',
      item: { type: 'add_on', code: 'setup_fee', lago_item_id: addOn.id, item_type: 'AddOn' },
    });
    nullsNeverOmitted(wire);
  });

  it('leaves fees out of the list shape and sets voided_at on a voided invoice', () => {
    const voidedAt = new Date('2026-11-27T00:00:00.999Z');
    const wire = serializeInvoice(
      { ...invoice, status: 'voided', voidedAt },
      { customer, documentNumberPrefix: 'ACM' },
    );
    expect(wire).not.toHaveProperty('fees');
    expect(wire.voided_at).toBe('2026-11-27T00:00:00Z');
  });

  it('says why a pending invoice waits, and nothing once it no longer does', () => {
    const refsOf = { customer, documentNumberPrefix: 'ACM' };
    const waiting = {
      ...invoice,
      payment: { status: 'pending', inFlightPaymentId: null, waitingFor: 'no_payment_method' },
    } as const;
    expect(serializeInvoice(waiting, refsOf).payment_waiting_reason).toBe('no_payment_method');
    expect(serializeInvoice(invoice, refsOf).payment_waiting_reason).toBeNull();
    const voided = { ...waiting, status: 'voided', voidedAt: new Date('2026-11-27T00:00:00Z') } as const;
    expect(serializeInvoice(voided, refsOf).payment_waiting_reason).toBeNull();
  });
});

describe('payment, credit note, add-on, connection', () => {
  it('folds requires_action into pending and passes the next action through', () => {
    const wire = serializePayment(payment, {
      externalCustomerId: 'cust_001',
      invoiceNumber: invoice.number,
      connectionCode: 'stripe_test',
      paymentMethodId: null,
    });
    expect(wire).toMatchObject({
      payment_status: 'pending',
      status: 'requires_action',
      next_action: { type: 'redirect_to_url' },
      invoice_numbers: ['ACM-007-002'],
      type: 'provider',
    });
    nullsNeverOmitted(wire);
  });

  it('renders a credit note with a null refund status when nothing is refunded', () => {
    const customer = serializeCustomer(linkedCustomer, refs);
    const wire = serializeCreditNote(creditNote, { invoice, customer });
    expect(wire.refund_status).toBeNull();
    expect(wire.credit_status).toBe('available');
    expect(wire.items[0]?.fee?.lago_id).toBe(invoice.fees[0]!.id);
    nullsNeverOmitted(wire);
  });

  it('renders an add-on', () => {
    expect(serializeAddOn(addOn)).toMatchObject({ code: 'setup_fee', amount_cents: 50000, taxes: [] });
  });

  it('masks the secret key of a connection', () => {
    const wire = serializeStripeConnection(connection);
    expect(wire.secret_key).not.toContain('abcdefgh');
    expect(wire.secret_key.endsWith('1234')).toBe(true);
    expect(JSON.stringify(wire)).not.toContain('whsec_x');
  });
});

describe('invoice payment details', () => {
  it('is Lago’s invoice_payment_details, plus the page’s expiry', () => {
    expect(
      serializeInvoicePaymentDetails({
        invoice,
        customer: linkedCustomer,
        url: 'https://checkout.stripe.test/c/pay/cs_test_1',
        expiresAt: new Date('2026-11-27T10:00:00.456Z'),
      }),
    ).toEqual({
      lago_customer_id: linkedCustomer.id,
      lago_invoice_id: invoice.id,
      external_customer_id: linkedCustomer.externalId,
      payment_provider: 'stripe',
      payment_url: 'https://checkout.stripe.test/c/pay/cs_test_1',
      expires_at: '2026-11-27T10:00:00Z',
    });
  });

  it('serializes a payment link attempt, which has no saved method', () => {
    const { nextAction: _dropped, ...rest } = payment as typeof payment & { nextAction: unknown };
    const pending: Payment = {
      ...rest,
      status: 'pending',
      providerPaymentId: null,
      providerPaymentMethodId: null,
      checkout: { lineItemName: invoice.number, session: null },
    };
    const wire = serializePayment(pending, {
      externalCustomerId: linkedCustomer.externalId,
      invoiceNumber: invoice.number,
      connectionCode: 'stripe_main',
      paymentMethodId: null,
    });
    expect(wire).toMatchObject({
      payment_status: 'pending',
      provider_payment_id: null,
      payment_method_id: null,
    });
  });
});
