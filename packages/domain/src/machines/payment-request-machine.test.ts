import { describe, expect, it } from 'vitest';
import type { FinalizedInvoice, Invoice, InvoicePayment } from '../model/invoice.js';
import type { SucceededPayment } from '../model/payment.js';
import {
  checkStillCollectable,
  isOverdue,
  openPaymentRequest,
  recordRequestFailed,
  recordRequestSucceeded,
  startRequestAttempt,
  startRequestedInvoiceAttempt,
} from './payment-request-machine.js';

const at = new Date('2026-12-03T10:00:00Z');
const today = '2026-12-03';

function invoice(id: string, over: Partial<FinalizedInvoice> & { payment?: InvoicePayment } = {}): Invoice {
  return {
    id,
    organizationId: 'org',
    customerId: 'cus',
    invoiceType: 'one_off',
    currency: 'EUR',
    fees: [],
    feesAmountCents: 10_000,
    taxesAmountCents: 0,
    totalAmountCents: 10_000,
    totalPaidAmountCents: 0,
    credited: { creditCents: 0, refundCents: 0, offsetCents: 0 },
    payment: {
      status: 'failed',
      failedAt: at,
      paymentId: 'p0',
      failure: { code: 'card_declined', message: 'no' },
    },
    paymentDisputeLostAt: null,
    metadata: [],
    status: 'finalized',
    sequentialId: 1,
    number: `ACM-${id}`,
    issuingDate: today,
    finalizedAt: at,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  } as Invoice;
}

function open(invoices: Invoice[], ids = invoices.map((i) => i.id)) {
  return openPaymentRequest({
    id: 'pr',
    organizationId: 'org',
    customerId: 'cus',
    email: null,
    invoiceIds: ids,
    invoices,
    today,
    at,
  });
}

const pendingIdle: InvoicePayment = {
  status: 'pending',
  inFlightPaymentId: null,
  waitingFor: 'no_payment_method',
};

describe('isOverdue', () => {
  it.each<[string, Invoice, boolean]>([
    ['failed', invoice('a'), true],
    ['pending, nothing in flight', invoice('a', { payment: pendingIdle }), true],
    ['paid', invoice('a', { payment: { status: 'succeeded', succeededAt: at, paymentId: 'p' } }), false],
    ['voided', { ...invoice('a'), status: 'voided', voidedAt: at } as Invoice, false],
    ['dispute lost', invoice('a', { paymentDisputeLostAt: at }), false],
    ['nothing due', invoice('a', { totalPaidAmountCents: 10_000 }), false],
    ['issued tomorrow', invoice('a', { issuingDate: '2026-12-04' }), false],
  ])('%s → %s', (_name, inv, expected) => {
    expect(isOverdue(inv, today)).toBe(expected);
  });
});

describe('openPaymentRequest', () => {
  it('sums what is due on each invoice, once per id, in one currency', () => {
    const opened = open([invoice('a'), invoice('b', { totalPaidAmountCents: 2_500 })], ['a', 'b', 'a']);
    expect(opened).toMatchObject({
      ok: true,
      value: {
        paymentStatus: 'pending',
        amountCents: 17_500,
        currency: 'EUR',
        items: [
          { invoiceId: 'a', amountCents: 10_000 },
          { invoiceId: 'b', amountCents: 7_500 },
        ],
      },
    });
  });

  it.each<[string, Invoice[], string[] | undefined, string]>([
    ['unknown id', [invoice('a')], ['a', 'x'], 'invoice_not_found'],
    [
      'another customer',
      [invoice('a'), invoice('b', { customerId: 'other' })],
      undefined,
      'invoice_not_found',
    ],
    ['no ids', [], [], 'invoice_not_found'],
    [
      'paid',
      [invoice('a'), invoice('b', { payment: { status: 'succeeded', succeededAt: at, paymentId: 'p' } })],
      undefined,
      'invoices_not_overdue',
    ],
    [
      'in flight',
      [
        invoice('a'),
        invoice('b', { payment: { status: 'pending', inFlightPaymentId: 'p', waitingFor: null } }),
      ],
      undefined,
      'invoices_not_ready_for_payment_processing',
    ],
    [
      'two currencies',
      [invoice('a'), invoice('b', { currency: 'USD' as FinalizedInvoice['currency'] })],
      undefined,
      'invoices_have_different_currencies',
    ],
  ])('refuses %s', (_name, invoices, ids, code) => {
    expect(open(invoices, ids)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('request transitions', () => {
  const opened = open([invoice('a'), invoice('b')]);
  if (!opened.ok) throw new Error('set-up');
  const request = opened.value;
  const payment = { id: 'pay', status: 'succeeded', succeededAt: at } as SucceededPayment;

  it('is attempted once', () => {
    const started = startRequestAttempt(request, 'pay', at);
    expect(started).toMatchObject({ ok: true, value: { paymentId: 'pay' } });
    if (!started.ok) return;
    expect(startRequestAttempt(started.value, 'again', at)).toMatchObject({ ok: false });
  });

  it('succeeds only for its own attempt, and a success is final', () => {
    const started = startRequestAttempt(request, 'pay', at);
    if (!started.ok) throw new Error('set-up');
    expect(recordRequestSucceeded(started.value, { ...payment, id: 'other' }, at).changed).toBe(false);
    const succeeded = recordRequestSucceeded(started.value, payment, at);
    expect(succeeded).toMatchObject({ changed: true, request: { paymentStatus: 'succeeded' } });
    expect(recordRequestFailed(succeeded.request, { code: 'x', message: 'x' }, at).changed).toBe(false);
  });

  it('a failed request still succeeds when the provider says the money moved', () => {
    const started = startRequestAttempt(request, 'pay', at);
    if (!started.ok) throw new Error('set-up');
    const failed = recordRequestFailed(started.value, { code: 'card_declined', message: 'no' }, at);
    expect(failed.request.paymentStatus).toBe('failed');
    const late = recordRequestSucceeded(failed.request, payment, at);
    expect(late.request).toMatchObject({ paymentStatus: 'succeeded' });
    expect(late.request).not.toHaveProperty('failure');
  });

  it('is charged only as it was made', () => {
    expect(checkStillCollectable(request, [invoice('a'), invoice('b')], today).ok).toBe(true);
    expect(
      checkStillCollectable(request, [invoice('a'), invoice('b', { totalPaidAmountCents: 1 })], today),
    ).toMatchObject({ ok: false, error: { code: 'invoices_not_ready_for_payment_processing' } });
    expect(checkStillCollectable(request, [invoice('a')], today)).toMatchObject({
      ok: false,
      error: { code: 'invoices_not_overdue' },
    });
  });

  it('locks a failed invoice to the attempt', () => {
    expect(startRequestedInvoiceAttempt(invoice('a'), 'pay', today, at)).toMatchObject({
      ok: true,
      value: { payment: { status: 'pending', inFlightPaymentId: 'pay', waitingFor: null } },
    });
    expect(
      startRequestedInvoiceAttempt(invoice('a', { paymentDisputeLostAt: at }), 'pay', today, at),
    ).toMatchObject({ ok: false, error: { code: 'invoices_not_overdue' } });
  });
});
