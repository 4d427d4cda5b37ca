import { describe, expect, it } from 'vitest';
import type { Payment, PaymentStatus } from '../model/payment.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import type { PaymentIntentOutcome } from '../ports/payment-gateway.js';
import { applyIntentOutcome, markFailed } from './payment-machine.js';

const EUR = parseCurrency('EUR') as CurrencyCode;
const at = new Date('2026-11-26T12:00:00Z');

function payment(status: PaymentStatus, providerPaymentId: string | null = 'pi_1'): Payment {
  const base = {
    id: 'pay_1',
    organizationId: 'org',
    invoiceId: 'inv',
    customerId: 'c',
    connectionId: 'conn',
    providerCustomerId: 'cus',
    providerPaymentMethodId: 'pm',
    amountCents: 1000,
    currency: EUR,
    providerPaymentId,
    providerStatus: null,
    request: null,
    checkout: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  switch (status) {
    case 'pending':
      return { ...base, status };
    case 'processing':
      return { ...base, status, providerPaymentId: 'pi_1' };
    case 'requires_action':
      return { ...base, status, providerPaymentId: 'pi_1', nextAction: {} };
    case 'succeeded':
      return { ...base, status, succeededAt: at };
    case 'failed':
      return {
        ...base,
        status,
        failedAt: at,
        failure: { code: 'x', message: 'x' },
        canceled: false,
        belowMinimum: false,
      };
  }
}

function outcome(status: PaymentIntentOutcome['status'], providerPaymentId = 'pi_1'): PaymentIntentOutcome {
  const base = { providerPaymentId, providerStatus: status, amountCents: 1000, currency: EUR };
  switch (status) {
    case 'failed':
      return { ...base, status, code: 'card_declined', message: 'Your card was declined.' };
    case 'canceled':
      return { ...base, status, reason: null };
    case 'requires_action':
      return { ...base, status, nextAction: { type: 'use_stripe_sdk' } };
    default:
      return { ...base, status };
  }
}

describe('payment state machine', () => {
  it.each<[PaymentStatus, PaymentIntentOutcome['status'], PaymentStatus, boolean]>([
    ['pending', 'processing', 'processing', true],
    ['pending', 'requires_action', 'requires_action', true],
    ['pending', 'succeeded', 'succeeded', true],
    ['pending', 'failed', 'failed', true],
    ['pending', 'canceled', 'failed', true],
    ['requires_action', 'processing', 'processing', true],
    ['requires_action', 'succeeded', 'succeeded', true],
    ['requires_action', 'failed', 'failed', true],
    ['processing', 'succeeded', 'succeeded', true],
    ['processing', 'failed', 'failed', true],
    ['processing', 'canceled', 'failed', true],
    // never backwards, never out of a final state
    ['processing', 'requires_action', 'processing', false],
    ['processing', 'processing', 'processing', false],
    ['requires_action', 'requires_action', 'requires_action', false],
    ['succeeded', 'failed', 'succeeded', false],
    ['succeeded', 'canceled', 'succeeded', false],
    ['succeeded', 'processing', 'succeeded', false],
    ['succeeded', 'succeeded', 'succeeded', false],
    // the provider took the money after a recorded failure: its record wins
    ['failed', 'succeeded', 'succeeded', true],
    ['failed', 'processing', 'failed', false],
    ['failed', 'requires_action', 'failed', false],
    ['failed', 'canceled', 'failed', false],
    ['failed', 'failed', 'failed', false],
  ])('%s + %s → %s (changed: %s)', (from, event, to, changed) => {
    const result = applyIntentOutcome(payment(from), outcome(event), at);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.payment.status).toBe(to);
    expect(result.value.changed).toBe(changed);
  });

  it('a failed payment that the provider says succeeded drops its failure and keeps its request', () => {
    const failed = { ...payment('failed'), request: null } as Payment;
    const result = applyIntentOutcome(failed, outcome('succeeded'), at);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.payment).not.toHaveProperty('failure');
    expect(result.value.payment).not.toHaveProperty('failedAt');
    expect(result.value.payment).toMatchObject({
      status: 'succeeded',
      succeededAt: at,
      providerPaymentId: 'pi_1',
    });
  });

  it('records the provider id, raw status and failure details', () => {
    const result = applyIntentOutcome(payment('pending', null), outcome('failed', 'pi_9'), at);
    expect(result.ok && result.value.payment).toMatchObject({
      status: 'failed',
      providerPaymentId: 'pi_9',
      providerStatus: 'failed',
      failure: { code: 'card_declined', message: 'Your card was declined.' },
      canceled: false,
    });
  });

  it('counts a cancellation as a failure, flagged', () => {
    const result = applyIntentOutcome(payment('processing'), outcome('canceled'), at);
    expect(result.ok && result.value.payment).toMatchObject({
      status: 'failed',
      canceled: true,
      failure: { code: 'canceled' },
    });
  });

  it('refuses an outcome about another provider payment', () => {
    expect(applyIntentOutcome(payment('processing', 'pi_1'), outcome('succeeded', 'pi_2'), at)).toEqual({
      ok: false,
      error: 'provider_payment_mismatch',
    });
  });

  it('marks a below-minimum failure so the invoice keeps waiting', () => {
    const failed = markFailed(
      payment('pending') as Extract<Payment, { status: 'pending' }>,
      { code: 'amount_too_small', message: 'too small' },
      { at, belowMinimum: true },
    );
    expect(failed).toMatchObject({ status: 'failed', belowMinimum: true });
  });
});
