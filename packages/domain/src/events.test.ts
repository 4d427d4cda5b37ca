import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, makeEvent, OBJECT_TYPES } from './events.js';

describe('outgoing events', () => {
  it.each([
    ['invoice.payment_failure', 'payment_provider_invoice_payment_error'],
    ['invoice.payment_dispute_lost', 'payment_dispute_lost'],
    ['invoice.payment_status_updated', 'invoice'],
    ['customer.payment_provider_error', 'payment_provider_customer_error'],
    ['customer.checkout_url_generated', 'payment_provider_customer_checkout_url'],
    ['payment_provider.error', 'payment_provider_error'],
    ['credit_note.refund_failure', 'credit_note_payment_provider_refund_error'],
    ['payment.requires_action', 'payment'],
  ] as const)('%s carries Lago object_type %s', (type, objectType) => {
    expect(OBJECT_TYPES[type]).toBe(objectType);
  });

  it('covers every event Payrail emits', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'credit_note.created',
        'credit_note.refund_failure',
        'customer.checkout_url_generated',
        'customer.created',
        'customer.payment_provider_created',
        'customer.payment_provider_error',
        'customer.updated',
        'invoice.one_off_created',
        'invoice.payment_dispute_lost',
        'invoice.payment_failure',
        'invoice.payment_status_updated',
        'invoice.voided',
        'payment.requires_action',
        'payment.succeeded',
        'payment_provider.error',
        'payment_request.created',
        'payment_request.payment_failure',
        'payment_request.payment_status_updated',
      ].sort(),
    );
  });

  it('builds an event with the matching object type', () => {
    const event = makeEvent(
      'invoice.voided',
      { id: 'e1', organizationId: 'o', occurredAt: new Date(0) },
      { lago_invoice_id: 'i' },
    );
    expect(event).toEqual({
      id: 'e1',
      organizationId: 'o',
      occurredAt: new Date(0),
      type: 'invoice.voided',
      objectType: 'invoice',
      data: { lago_invoice_id: 'i' },
    });
  });
});
