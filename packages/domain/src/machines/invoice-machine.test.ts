import { describe, expect, it } from 'vitest';
import type {
  DraftInvoice,
  FinalizedInvoice,
  Invoice,
  InvoicePayment,
  VoidedInvoice,
} from '../model/invoice.js';
import type { FailedPayment, SucceededPayment } from '../model/payment.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import {
  checkCanAttempt,
  finalize,
  loseDispute,
  recordPaymentFailed,
  recordPaymentSucceeded,
  reopenForCollection,
  startAttempt,
  voidInvoice,
} from './invoice-machine.js';

const EUR = parseCurrency('EUR') as CurrencyCode;
const at = new Date('2026-11-26T12:00:00Z');

type Shape = 'draft' | 'pending' | 'in_flight' | 'failed' | 'succeeded' | 'voided' | 'lost' | 'lost_paid';

function draft(total = 1000): DraftInvoice {
  return {
    id: 'inv',
    organizationId: 'org',
    customerId: 'c',
    invoiceType: 'one_off',
    status: 'draft',
    currency: EUR,
    fees: [],
    feesAmountCents: total,
    taxesAmountCents: 0,
    totalAmountCents: total,
    totalPaidAmountCents: 0,
    credited: { creditCents: 0, refundCents: 0, offsetCents: 0 },
    payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    paymentDisputeLostAt: null,
    metadata: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

function invoice(shape: Shape): Invoice {
  if (shape === 'draft') return draft();
  const finalized = finalize(
    draft(),
    { sequentialId: 1, number: 'ACM-001-001', issuingDate: '2026-11-26' },
    at,
  );
  const payments: Record<Exclude<Shape, 'draft'>, InvoicePayment> = {
    pending: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    in_flight: { status: 'pending', inFlightPaymentId: 'pay_1', waitingFor: null },
    failed: {
      status: 'failed',
      failedAt: at,
      paymentId: 'pay_1',
      failure: { code: 'card_declined', message: 'no' },
    },
    succeeded: { status: 'succeeded', succeededAt: at, paymentId: 'pay_1' },
    voided: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    lost: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    lost_paid: { status: 'succeeded', succeededAt: at, paymentId: 'pay_1' },
  };
  const withPayment: FinalizedInvoice = { ...finalized, payment: payments[shape] };
  if (shape === 'voided') return { ...withPayment, status: 'voided', voidedAt: at } satisfies VoidedInvoice;
  if (shape === 'lost' || shape === 'lost_paid') return { ...withPayment, paymentDisputeLostAt: at };
  return withPayment;
}

const refusal = (result: { ok: boolean; error?: { code: string } }) =>
  result.ok ? 'ok' : result.error?.code;

describe('invoice: finalize', () => {
  it('numbers the invoice and leaves payment pending', () => {
    const f = finalize(draft(), { sequentialId: 3, number: 'ACM-001-003', issuingDate: '2026-11-26' }, at);
    expect(f).toMatchObject({ status: 'finalized', number: 'ACM-001-003', payment: { status: 'pending' } });
  });

  it('a zero total is paid at once without the provider', () => {
    const f = finalize(draft(0), { sequentialId: 1, number: 'n', issuingDate: '2026-11-26' }, at);
    expect(f.payment).toEqual({ status: 'succeeded', succeededAt: at, paymentId: null });
  });
});

describe('invoice: retry ("resend for collection")', () => {
  it.each<[Shape, string]>([
    ['pending', 'ok'],
    ['failed', 'ok'],
    ['draft', 'invalid_status'],
    ['voided', 'invalid_status'],
    ['succeeded', 'invalid_status'],
    ['in_flight', 'payment_processor_is_currently_handling_payment'],
    ['lost', 'invoice_dispute_lost'],
    ['lost_paid', 'invoice_dispute_lost'],
  ])('%s → %s', (shape, expected) => {
    expect(refusal(reopenForCollection(invoice(shape), at))).toBe(expected);
  });

  it('puts a failed invoice back to pending', () => {
    const reopened = reopenForCollection(invoice('failed'), at);
    expect(reopened.ok && reopened.value.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: null,
    });
  });
});

describe('invoice: void', () => {
  it.each<[Shape, string]>([
    ['pending', 'ok'],
    ['failed', 'ok'],
    ['draft', 'not_voidable'],
    ['voided', 'not_voidable'],
    ['succeeded', 'not_voidable'],
    ['lost', 'not_voidable'],
    ['lost_paid', 'not_voidable'],
    ['in_flight', 'payment_processor_is_currently_handling_payment'],
  ])('%s → %s', (shape, expected) => {
    expect(refusal(voidInvoice(invoice(shape), at))).toBe(expected);
  });
});

describe('invoice: new attempt', () => {
  it.each<[Shape, string]>([
    ['pending', 'ok'],
    ['failed', 'invalid_status'],
    ['succeeded', 'invalid_status'],
    ['draft', 'invalid_status'],
    ['voided', 'invalid_status'],
    ['in_flight', 'payment_processor_is_currently_handling_payment'],
    ['lost', 'invoice_dispute_lost'],
  ])('%s → %s', (shape, expected) => {
    expect(refusal(checkCanAttempt(invoice(shape)))).toBe(expected);
    expect(refusal(startAttempt(invoice(shape), 'pay_2', at))).toBe(expected);
  });
});

describe('invoice: lost dispute', () => {
  it.each<[Shape, string, boolean]>([
    ['succeeded', 'ok', true],
    ['pending', 'ok', true],
    ['voided', 'ok', true],
    ['lost_paid', 'ok', false],
    ['draft', 'not_disputable', false],
  ])('%s → %s (changed: %s)', (shape, expected, changed) => {
    const result = loseDispute(invoice(shape), at, at);
    expect(refusal(result)).toBe(expected);
    if (result.ok) expect(result.value.changed).toBe(changed);
  });
});

describe('invoice: payment results', () => {
  const succeeded = { id: 'pay_1', amountCents: 1000, succeededAt: at } as SucceededPayment;
  const failed = (belowMinimum: boolean, id = 'pay_1') =>
    ({ id, failedAt: at, failure: { code: 'card_declined', message: 'no' }, belowMinimum }) as FailedPayment;

  it('a success pays the invoice once', () => {
    const first = recordPaymentSucceeded(invoice('in_flight'), succeeded, at);
    expect(first.invoice).toMatchObject({ payment: { status: 'succeeded' }, totalPaidAmountCents: 1000 });
    expect(recordPaymentSucceeded(first.invoice, succeeded, at).changed).toBe(false);
  });

  it('a success never lands on a voided invoice', () => {
    expect(recordPaymentSucceeded(invoice('voided'), succeeded, at).changed).toBe(false);
  });

  it('the current attempt failing fails the invoice', () => {
    expect(recordPaymentFailed(invoice('in_flight'), failed(false), at).invoice.payment.status).toBe(
      'failed',
    );
  });

  it('below the minimum the invoice keeps waiting, with the reason', () => {
    expect(recordPaymentFailed(invoice('in_flight'), failed(true), at).invoice.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: 'amount_below_provider_minimum',
    });
  });

  it('a stale attempt failing changes nothing', () => {
    expect(recordPaymentFailed(invoice('in_flight'), failed(false, 'pay_0'), at).changed).toBe(false);
    expect(recordPaymentFailed(invoice('succeeded'), failed(false), at).changed).toBe(false);
  });
});
