import { describe, expect, it } from 'vitest';
import type { Refund, RefundState } from '../model/credit-note.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import type { RefundOutcome } from '../ports/payment-gateway.js';
import { applyRefundOutcome, failRefund } from './refund-machine.js';

const at = new Date('2026-11-26T12:00:00Z');

function refund(state: RefundState['status'], providerRefundId: string | null = 're_1'): Refund {
  const states: Record<RefundState['status'], RefundState> = {
    pending: { status: 'pending' },
    succeeded: { status: 'succeeded', refundedAt: at },
    failed: { status: 'failed', failedAt: at, failure: { code: 'x', message: 'x' } },
  };
  return {
    id: 'ref',
    paymentId: 'pay',
    providerPaymentId: 'pi',
    amountCents: 500,
    currency: parseCurrency('EUR') as CurrencyCode,
    providerRefundId,
    state: states[state],
  };
}

function outcome(status: RefundOutcome['status'], providerRefundId = 're_1'): RefundOutcome {
  const base = { providerRefundId, providerPaymentId: 'pi', amountCents: 500 };
  return status === 'failed'
    ? { ...base, status, code: 'expired_card', message: 'Card expired' }
    : { ...base, status };
}

describe('refund state machine', () => {
  it.each<[RefundState['status'], RefundOutcome['status'], RefundState['status'], boolean]>([
    ['pending', 'succeeded', 'succeeded', true],
    ['pending', 'failed', 'failed', true],
    ['pending', 'pending', 'pending', false],
    ['succeeded', 'failed', 'succeeded', false],
    ['succeeded', 'pending', 'succeeded', false],
    ['failed', 'succeeded', 'failed', false],
  ])('%s + %s → %s (changed: %s)', (from, event, to, changed) => {
    const result = applyRefundOutcome(refund(from), outcome(event), at);
    expect(result.ok && result.value.refund.state.status).toBe(to);
    expect(result.ok && result.value.changed).toBe(changed);
  });

  it('learns its provider id from the first answer', () => {
    const result = applyRefundOutcome(refund('pending', null), outcome('pending', 're_7'), at);
    expect(result.ok && result.value).toMatchObject({ changed: true, refund: { providerRefundId: 're_7' } });
  });

  it('ignores an answer about another refund', () => {
    expect(applyRefundOutcome(refund('pending', 're_1'), outcome('succeeded', 're_2'), at)).toEqual({
      ok: false,
      error: 'provider_refund_mismatch',
    });
  });

  it('fails locally only while pending', () => {
    expect(failRefund(refund('pending'), { code: 'c', message: 'm' }, at).refund.state.status).toBe('failed');
    expect(failRefund(refund('succeeded'), { code: 'c', message: 'm' }, at).changed).toBe(false);
  });
});
