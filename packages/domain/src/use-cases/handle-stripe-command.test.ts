import { describe, expect, it } from 'vitest';
import type { StripeCommand } from '../commands.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import { createTestContext, expectOk, givenLinkedCustomer } from '../testing/index.js';
import { handleStripeCommand } from './handle-stripe-command.js';

const EUR = parseCurrency('EUR') as CurrencyCode;
const at = new Date('2026-11-26T12:00:00Z');

describe('handleStripeCommand: events about things Payrail does not know are ignored with a reason', () => {
  it.each<[StripeCommand, string]>([
    [{ kind: 'ignored', reason: 'event_type_not_handled' }, 'ignored:event_type_not_handled'],
    [
      { kind: 'customer_default_payment_method_changed', providerCustomerId: 'cus_x', paymentMethod: null },
      'ignored:no_default_payment_method',
    ],
    [
      {
        kind: 'customer_default_payment_method_changed',
        providerCustomerId: 'cus_unknown',
        paymentMethod: { providerPaymentMethodId: 'pm_1', type: 'card', details: null, createdAt: at },
      },
      'ignored:unknown_customer',
    ],
    [
      { kind: 'payment_method_detached', providerCustomerId: null, providerPaymentMethodId: 'pm_1' },
      'ignored:unknown_customer',
    ],
    [
      { kind: 'payment_method_detached', providerCustomerId: 'cus_unknown', providerPaymentMethodId: 'pm_1' },
      'ignored:unknown_customer',
    ],
    [
      { kind: 'dispute_closed', providerPaymentId: 'pi_unknown', result: 'lost', reason: null, closedAt: at },
      'ignored:unknown_payment',
    ],
    [
      {
        kind: 'dispute_closed',
        providerPaymentId: 'pi_unknown',
        result: 'other',
        reason: null,
        closedAt: at,
      },
      'ignored:dispute_other',
    ],
    [
      {
        kind: 'refund_outcome',
        lagoCreditNoteId: null,
        outcome: {
          providerRefundId: 're_unknown',
          providerPaymentId: 'pi',
          amountCents: 1,
          status: 'succeeded',
        },
      },
      'ignored:unknown_refund',
    ],
    [
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: 'not-ours',
        lagoInvoiceId: null,
        outcome: {
          providerPaymentId: 'pi_x',
          providerStatus: 'succeeded',
          amountCents: 1,
          currency: EUR,
          status: 'succeeded',
        },
      },
      'ignored:unknown_payment',
    ],
  ])('%j → %s', async (command, expected) => {
    const t = createTestContext();
    const { connection } = await givenLinkedCustomer(t);
    const eventsBefore = t.store.events.length;
    const result = expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt',
          occurredAt: at,
          command,
        },
      }),
    );
    expect(result.result).toBe(expected);
    expect(t.store.events.length).toBe(eventsBefore);
  });

  it('an event for another organization’s customer is ignored', async () => {
    const t = createTestContext();
    const { connection, providerCustomerId } = await givenLinkedCustomer(t);
    const result = expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: 'another-org',
          connectionId: connection.id,
          providerEventId: 'evt',
          occurredAt: at,
          command: { kind: 'payment_method_detached', providerCustomerId, providerPaymentMethodId: 'pm_1' },
        },
      }),
    );
    expect(result.result).toBe('ignored:unknown_customer');
  });
});
