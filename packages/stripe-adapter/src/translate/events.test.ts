import { err, ok, type ProviderPaymentMethod, type StripeCommand } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import type { StripeWebhookEvent } from '../webhooks/event.js';
import { type PaymentMethodReader, translateStripeEvent } from './events.js';

const savedCard: ProviderPaymentMethod = {
  providerPaymentMethodId: 'pm_saved',
  type: 'card',
  details: { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
  createdAt: new Date(1_700_000_000_000),
};

/** An in-memory reader: only `pm_saved` exists and is attached; it is `cus_1`'s current default. */
const reader: PaymentMethodReader = {
  retrievePaymentMethod: async ({ providerPaymentMethodId }) =>
    ok(providerPaymentMethodId === 'pm_saved' ? savedCard : null),
  getDefaultPaymentMethod: async ({ providerCustomerId }) =>
    ok(providerCustomerId === 'cus_1' ? savedCard : null),
};

function event(
  type: string,
  object: Record<string, unknown>,
  previous: Record<string, unknown> | null = null,
) {
  const e: StripeWebhookEvent = {
    id: 'evt_1',
    type,
    created: 1_795_000_000,
    account: null,
    apiVersion: '2026-10-28.endive',
    livemode: false,
    data: { object, previousAttributes: previous },
  };
  return e;
}

async function commandOf(e: StripeWebhookEvent, paymentMethods = reader): Promise<StripeCommand> {
  const result = await translateStripeEvent(e, {
    organizationId: 'org',
    connectionId: 'conn',
    paymentMethods,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.command;
}

const pi = (fields: Record<string, unknown>) => ({
  id: 'pi_1',
  object: 'payment_intent',
  amount: 1_999,
  currency: 'eur',
  metadata: { lago_payment_id: 'pay-1', lago_invoice_id: 'inv-1' },
  ...fields,
});

const refund = (fields: Record<string, unknown>) => ({
  id: 're_1',
  object: 'refund',
  amount: 500,
  payment_intent: 'pi_1',
  metadata: { lago_credit_note_id: 'cn-1' },
  ...fields,
});

describe('translateStripeEvent', () => {
  it('wraps the command with our connection, the event id and time', async () => {
    const result = await translateStripeEvent(event('balance.available', {}), {
      organizationId: 'org',
      connectionId: 'conn',
      paymentMethods: reader,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        organizationId: 'org',
        connectionId: 'conn',
        providerEventId: 'evt_1',
        occurredAt: new Date(1_795_000_000_000),
        command: { kind: 'ignored', reason: 'event type balance.available is not handled' },
      },
    });
  });

  it.each<[string, StripeWebhookEvent, StripeCommand]>([
    [
      'a setup that saved a method',
      event('setup_intent.succeeded', { id: 'seti_1', customer: 'cus_1', payment_method: 'pm_saved' }),
      { kind: 'setup_succeeded', providerCustomerId: 'cus_1', paymentMethod: savedCard },
    ],
    [
      'a setup with the method expanded',
      event('setup_intent.succeeded', {
        customer: 'cus_1',
        payment_method: {
          id: 'pm_x',
          type: 'sepa_debit',
          customer: 'cus_1',
          created: 1,
          sepa_debit: { last4: '3000' },
        },
      }),
      {
        kind: 'setup_succeeded',
        providerCustomerId: 'cus_1',
        paymentMethod: {
          providerPaymentMethodId: 'pm_x',
          type: 'sepa_debit',
          details: { brand: null, last4: '3000', expMonth: null, expYear: null },
          createdAt: new Date(1000),
        },
      },
    ],
    [
      'a setup without a customer',
      event('setup_intent.succeeded', { customer: null, payment_method: 'pm_saved' }),
      { kind: 'ignored', reason: 'setup intent has no customer' },
    ],
    [
      'a setup whose method is gone',
      event('setup_intent.succeeded', { customer: 'cus_1', payment_method: 'pm_gone' }),
      { kind: 'ignored', reason: 'the saved payment method is no longer attached' },
    ],
    [
      'a new default method',
      event(
        'customer.updated',
        { id: 'cus_1', invoice_settings: { default_payment_method: 'pm_saved' } },
        { invoice_settings: { default_payment_method: null } },
      ),
      {
        kind: 'customer_default_payment_method_changed',
        providerCustomerId: 'cus_1',
        paymentMethod: savedCard,
      },
    ],
    [
      'a late event naming an older default: the current default is read from Stripe',
      event(
        'customer.updated',
        { id: 'cus_1', invoice_settings: { default_payment_method: 'pm_older' } },
        { invoice_settings: { default_payment_method: null } },
      ),
      {
        kind: 'customer_default_payment_method_changed',
        providerCustomerId: 'cus_1',
        paymentMethod: savedCard,
      },
    ],
    [
      'a cleared default method',
      event('customer.updated', { id: 'cus_2', invoice_settings: { default_payment_method: null } }),
      { kind: 'customer_default_payment_method_changed', providerCustomerId: 'cus_2', paymentMethod: null },
    ],
    [
      'a customer change that leaves the default alone',
      event(
        'customer.updated',
        { id: 'cus_1', invoice_settings: { default_payment_method: 'pm_saved' } },
        { email: 'a@b.c' },
      ),
      { kind: 'ignored', reason: 'the default payment method did not change' },
    ],
    [
      'a detached method (customer from previous attributes)',
      event('payment_method.detached', { id: 'pm_saved', customer: null }, { customer: 'cus_1' }),
      { kind: 'payment_method_detached', providerCustomerId: 'cus_1', providerPaymentMethodId: 'pm_saved' },
    ],
    [
      'a detached method without a known customer',
      event('payment_method.detached', { id: 'pm_saved', customer: null }),
      { kind: 'payment_method_detached', providerCustomerId: null, providerPaymentMethodId: 'pm_saved' },
    ],
    [
      'a successful payment',
      event('payment_intent.succeeded', pi({ status: 'succeeded' })),
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: 'pay-1',
        lagoInvoiceId: 'inv-1',
        outcome: {
          providerPaymentId: 'pi_1',
          providerStatus: 'succeeded',
          amountCents: 1_999,
          currency: 'EUR' as never,
          status: 'succeeded',
        },
      },
    ],
    [
      'a bank debit in flight',
      event('payment_intent.processing', pi({ status: 'processing', metadata: {} })),
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: null,
        lagoInvoiceId: null,
        outcome: {
          providerPaymentId: 'pi_1',
          providerStatus: 'processing',
          amountCents: 1_999,
          currency: 'EUR' as never,
          status: 'processing',
        },
      },
    ],
    [
      'a failed payment',
      event(
        'payment_intent.payment_failed',
        pi({
          status: 'requires_payment_method',
          last_payment_error: {
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Insufficient funds.',
          },
        }),
      ),
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: 'pay-1',
        lagoInvoiceId: 'inv-1',
        outcome: {
          providerPaymentId: 'pi_1',
          providerStatus: 'requires_payment_method',
          amountCents: 1_999,
          currency: 'EUR' as never,
          status: 'failed',
          code: 'card_declined',
          message: 'Insufficient funds.',
        },
      },
    ],
    [
      'the off-session authentication refusal, which the adapter follows with an on-session confirmation',
      event(
        'payment_intent.payment_failed',
        pi({
          status: 'requires_payment_method',
          last_payment_error: {
            code: 'authentication_required',
            decline_code: 'authentication_required',
            message: 'Your card was declined. This transaction requires authentication.',
          },
        }),
      ),
      {
        kind: 'ignored',
        reason: 'off-session authentication refusal; the intent is confirmed again on-session',
      },
    ],
    [
      'a failed 3D Secure challenge',
      event(
        'payment_intent.payment_failed',
        pi({
          status: 'requires_payment_method',
          last_payment_error: {
            code: 'payment_intent_authentication_failure',
            message: 'Failed authentication.',
          },
        }),
      ),
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: 'pay-1',
        lagoInvoiceId: 'inv-1',
        outcome: {
          providerPaymentId: 'pi_1',
          providerStatus: 'requires_payment_method',
          amountCents: 1_999,
          currency: 'EUR' as never,
          status: 'failed',
          code: 'payment_intent_authentication_failure',
          message: 'Failed authentication.',
        },
      },
    ],
    [
      'a payment waiting for the customer',
      event(
        'payment_intent.requires_action',
        pi({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } }),
      ),
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: 'pay-1',
        lagoInvoiceId: 'inv-1',
        outcome: {
          providerPaymentId: 'pi_1',
          providerStatus: 'requires_action',
          amountCents: 1_999,
          currency: 'EUR' as never,
          status: 'requires_action',
          nextAction: { type: 'use_stripe_sdk' },
        },
      },
    ],
    [
      'a canceled payment',
      event('payment_intent.canceled', pi({ status: 'canceled', cancellation_reason: 'abandoned' })),
      {
        kind: 'payment_intent_outcome',
        lagoPaymentId: 'pay-1',
        lagoInvoiceId: 'inv-1',
        outcome: {
          providerPaymentId: 'pi_1',
          providerStatus: 'canceled',
          amountCents: 1_999,
          currency: 'EUR' as never,
          status: 'canceled',
          reason: 'abandoned',
        },
      },
    ],
    [
      'a payment link’s page paid',
      event('checkout.session.completed', {
        id: 'cs_1',
        object: 'checkout.session',
        mode: 'payment',
        status: 'complete',
        metadata: { lago_payment_id: 'pay-1', lago_invoice_id: 'inv-1' },
      }),
      { kind: 'payment_checkout_changed', lagoPaymentId: 'pay-1', providerSessionId: 'cs_1' },
    ],
    [
      'a payment link’s page expired',
      event('checkout.session.expired', {
        id: 'cs_2',
        object: 'checkout.session',
        mode: 'payment',
        status: 'expired',
        metadata: { lago_payment_id: 'pay-2' },
      }),
      { kind: 'payment_checkout_changed', lagoPaymentId: 'pay-2', providerSessionId: 'cs_2' },
    ],
    [
      'a setup page completed (its setup intent event saves the method)',
      event('checkout.session.completed', { id: 'cs_3', mode: 'setup', status: 'complete', metadata: {} }),
      { kind: 'ignored', reason: 'checkout session in setup mode' },
    ],
    [
      'a payment page someone else made on the account',
      event('checkout.session.completed', { id: 'cs_4', mode: 'payment', status: 'complete', metadata: {} }),
      { kind: 'ignored', reason: 'checkout session Payrail did not create' },
    ],
    [
      'a lost dispute',
      event('charge.dispute.closed', {
        id: 'du_1',
        payment_intent: 'pi_1',
        status: 'lost',
        reason: 'fraudulent',
      }),
      {
        kind: 'dispute_closed',
        providerPaymentId: 'pi_1',
        result: 'lost',
        reason: 'fraudulent',
        closedAt: new Date(1_795_000_000_000),
      },
    ],
    [
      'a won dispute',
      event('charge.dispute.closed', {
        id: 'du_1',
        payment_intent: 'pi_1',
        status: 'won',
        reason: 'general',
      }),
      {
        kind: 'dispute_closed',
        providerPaymentId: 'pi_1',
        result: 'won',
        reason: 'general',
        closedAt: new Date(1_795_000_000_000),
      },
    ],
    [
      'a dispute closed another way',
      event('charge.dispute.closed', {
        id: 'du_1',
        payment_intent: 'pi_1',
        status: 'warning_closed',
        reason: null,
      }),
      {
        kind: 'dispute_closed',
        providerPaymentId: 'pi_1',
        result: 'other',
        reason: null,
        closedAt: new Date(1_795_000_000_000),
      },
    ],
    [
      'a dispute on a charge without a payment intent',
      event('charge.dispute.closed', { id: 'du_1', payment_intent: null, status: 'lost' }),
      { kind: 'ignored', reason: 'dispute on a charge without a payment intent' },
    ],
    [
      'a refund that succeeded',
      event('charge.refund.updated', refund({ status: 'succeeded' })),
      {
        kind: 'refund_outcome',
        lagoCreditNoteId: 'cn-1',
        outcome: {
          providerRefundId: 're_1',
          providerPaymentId: 'pi_1',
          amountCents: 500,
          status: 'succeeded',
        },
      },
    ],
    [
      'a refund that failed',
      event('refund.failed', refund({ status: 'failed', failure_reason: 'expired_or_canceled_card' })),
      {
        kind: 'refund_outcome',
        lagoCreditNoteId: 'cn-1',
        outcome: {
          providerRefundId: 're_1',
          providerPaymentId: 'pi_1',
          amountCents: 500,
          status: 'failed',
          code: 'expired_or_canceled_card',
          message: 'The refund failed (expired_or_canceled_card).',
        },
      },
    ],
    [
      'a canceled refund',
      event('refund.updated', refund({ status: 'canceled', metadata: {} })),
      {
        kind: 'refund_outcome',
        lagoCreditNoteId: null,
        outcome: {
          providerRefundId: 're_1',
          providerPaymentId: 'pi_1',
          amountCents: 500,
          status: 'failed',
          code: 'canceled',
          message: 'The refund was canceled.',
        },
      },
    ],
    [
      'a refund still on its way',
      event('refund.updated', refund({ status: 'requires_action' })),
      {
        kind: 'refund_outcome',
        lagoCreditNoteId: 'cn-1',
        outcome: { providerRefundId: 're_1', providerPaymentId: 'pi_1', amountCents: 500, status: 'pending' },
      },
    ],
    [
      'a refund of a bare charge',
      event('refund.updated', refund({ payment_intent: null, status: 'succeeded' })),
      { kind: 'ignored', reason: 'refund without a payment intent' },
    ],
  ])('translates %s', async (_name, e, expected) => {
    expect(await commandOf(e)).toEqual(expected);
  });

  it('hands back a retryable error when the payment method cannot be read', async () => {
    const down: PaymentMethodReader = {
      retrievePaymentMethod: async () => err({ code: 'retryable', reason: 'network', message: 'down' }),
      getDefaultPaymentMethod: async () => err({ code: 'retryable', reason: 'network', message: 'down' }),
    };
    const result = await translateStripeEvent(
      event('setup_intent.succeeded', { customer: 'cus_1', payment_method: 'pm_saved' }),
      { organizationId: 'org', connectionId: 'conn', paymentMethods: down },
    );
    expect(result).toEqual({ ok: false, error: { code: 'retryable', reason: 'network', message: 'down' } });
    const changed = await translateStripeEvent(
      event(
        'customer.updated',
        { id: 'cus_1', invoice_settings: { default_payment_method: 'pm_saved' } },
        { invoice_settings: { default_payment_method: null } },
      ),
      { organizationId: 'org', connectionId: 'conn', paymentMethods: down },
    );
    expect(changed.ok).toBe(false);
  });
});
