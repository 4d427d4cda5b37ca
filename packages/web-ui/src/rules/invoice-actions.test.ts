import { describe, expect, it } from 'vitest';
import { type InvoiceFacts, invoiceActions } from './invoice-actions.js';

const base: InvoiceFacts = {
  status: 'finalized',
  payment_status: 'pending',
  payment_dispute_lost_at: null,
  total_amount_cents: 1000,
};

const allowed = (facts: Partial<InvoiceFacts>, inFlight = false) => {
  const actions = invoiceActions({ ...base, ...facts }, inFlight);
  return Object.fromEntries(Object.entries(actions).map(([k, v]) => [k, v.allowed]));
};

describe('which invoice actions the page offers', () => {
  it.each([
    [
      'unpaid, nothing in flight',
      {},
      false,
      { void: true, retryPayment: true, refund: false, credit: false, offset: true },
    ],
    [
      'unpaid, payment in flight',
      {},
      true,
      { void: false, retryPayment: false, refund: false, paymentLink: false },
    ],
    [
      'unpaid, payment link open',
      { payment_waiting_reason: 'payment_link_open' },
      true,
      { void: false, retryPayment: false, paymentLink: true },
    ],
    ['unpaid, nothing in flight: a link may be made', {}, false, { paymentLink: true }],
    ['failed', { payment_status: 'failed' }, false, { void: true, retryPayment: true, paymentLink: true }],
    [
      'paid',
      { payment_status: 'succeeded' },
      false,
      {
        void: false,
        retryPayment: false,
        refund: true,
        credit: true,
        offset: false,
        loseDispute: true,
        paymentLink: false,
      },
    ],
    [
      'paid, dispute lost',
      { payment_status: 'succeeded', payment_dispute_lost_at: '2026-11-26T10:00:00.123Z' },
      false,
      { void: false, retryPayment: false, refund: false, credit: true, creditNote: true, loseDispute: false },
    ],
    [
      'unpaid, dispute lost',
      { payment_dispute_lost_at: '2026-11-26T10:00:00Z' },
      false,
      { void: false, retryPayment: false },
    ],
    [
      'voided',
      { status: 'voided' },
      false,
      { void: false, retryPayment: false, creditNote: false, paymentLink: false },
    ],
    [
      'draft',
      { status: 'draft' },
      false,
      { void: false, retryPayment: false, creditNote: false, loseDispute: false },
    ],
  ] as const)('%s', (_name, facts, inFlight, expected) => {
    expect(allowed(facts, inFlight)).toMatchObject(expected);
  });

  it('gives a reason with every refusal', () => {
    const actions = invoiceActions({ ...base, payment_dispute_lost_at: '2026-11-26T10:00:00Z' }, false);
    expect(actions.void).toEqual({ allowed: false, reason: expect.stringContaining('dispute was lost') });
    expect(actions.retryPayment).toEqual({
      allowed: false,
      reason: expect.stringContaining('dispute was lost'),
    });
  });
});
