import { describe, expect, it } from 'vitest';
import type { CreditNote } from '../model/credit-note.js';
import type { Fee, FinalizedInvoice } from '../model/invoice.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import { type CreditNoteAmounts, checkCreditNoteAmounts } from './credit-note-amounts.js';

const EUR = parseCurrency('EUR') as CurrencyCode;
const at = new Date(0);
const fee = (id: string, amountCents: number) => ({ id, amountCents }) as Fee;

function invoice(
  paid: boolean,
  options: { refunded?: number; disputeLost?: boolean; offset?: number; credited?: number } = {},
): FinalizedInvoice {
  return {
    id: 'inv',
    organizationId: 'org',
    customerId: 'c',
    invoiceType: 'one_off',
    status: 'finalized',
    sequentialId: 1,
    number: 'N',
    issuingDate: '2026-11-26',
    finalizedAt: at,
    currency: EUR,
    fees: [fee('f1', 6000), fee('f2', 4000)],
    feesAmountCents: 10000,
    taxesAmountCents: 0,
    totalAmountCents: 10000,
    totalPaidAmountCents: paid ? 10000 : 0,
    credited: {
      creditCents: options.credited ?? 0,
      refundCents: options.refunded ?? 0,
      offsetCents: options.offset ?? 0,
    },
    payment: paid
      ? { status: 'succeeded', succeededAt: at, paymentId: 'p' }
      : { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    paymentDisputeLostAt: options.disputeLost ? at : null,
    metadata: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const amounts = (items: [string, number][], credit = 0, refund = 0, offset = 0): CreditNoteAmounts => ({
  items: items.map(([feeId, amountCents]) => ({ feeId, amountCents })),
  creditAmountCents: credit,
  refundAmountCents: refund,
  offsetAmountCents: offset,
});

const previousNote = (feeId: string, amountCents: number) =>
  ({ items: [{ id: 'i', feeId, amountCents }] }) as unknown as CreditNote;

describe('credit note amounts', () => {
  it.each<[string, FinalizedInvoice, CreditNoteAmounts]>([
    ['refund on a paid invoice', invoice(true), amounts([['f1', 6000]], 0, 6000)],
    [
      'credit + refund split',
      invoice(true),
      amounts(
        [
          ['f1', 6000],
          ['f2', 4000],
        ],
        3000,
        7000,
      ),
    ],
    ['offset on an unpaid invoice', invoice(false), amounts([['f2', 1000]], 0, 0, 1000)],
    ['refund up to what remains', invoice(true, { refunded: 4000 }), amounts([['f1', 6000]], 0, 6000)],
    ['credit on a paid invoice', invoice(true), amounts([['f1', 100]], 100)],
  ])('accepts: %s', (_name, inv, a) => {
    expect(checkCreditNoteAmounts(inv, [], a)).toEqual({});
  });

  it.each<[string, FinalizedInvoice, CreditNoteAmounts, Record<string, string[]>]>([
    [
      'amounts do not add up',
      invoice(true),
      amounts([['f1', 6000]], 0, 5000),
      { base: ['does_not_match_item_amounts'] },
    ],
    [
      'refund on an unpaid invoice',
      invoice(false),
      amounts([['f1', 100]], 0, 100),
      { refund_amount_cents: ['cannot_refund_unpaid_invoice'] },
    ],
    [
      'refund above what remains',
      invoice(true, { refunded: 5000 }),
      amounts([['f1', 6000]], 0, 6000),
      { refund_amount_cents: ['higher_than_remaining_invoice_amount'] },
    ],
    [
      'refund after a lost dispute',
      invoice(true, { disputeLost: true }),
      amounts([['f1', 100]], 0, 100),
      { refund_amount_cents: ['cannot_refund_disputed_invoice'] },
    ],
    [
      'item above its fee',
      invoice(true),
      amounts([['f2', 4001]], 0, 4001),
      { amount_cents: ['higher_than_remaining_fee_amount'] },
    ],
    ['non-positive item', invoice(true), amounts([['f2', 0]]), { amount_cents: ['invalid_value'] }],
    [
      'negative refund',
      invoice(true),
      amounts([['f2', 10]], 20, -10),
      { refund_amount_cents: ['invalid_value'] },
    ],
    [
      'fractional credit',
      invoice(true),
      amounts([['f2', 10]], 9.5, 0.5),
      { credit_amount_cents: ['invalid_value'], refund_amount_cents: ['invalid_value'] },
    ],
    ['no items', invoice(true), amounts([]), { items: ['value_is_mandatory'] }],
    [
      'credit on an unpaid invoice',
      invoice(false),
      amounts([['f1', 100]], 100),
      { credit_amount_cents: ['cannot_credit_invoice'] },
    ],
    [
      'offset above the amount due',
      invoice(false, { offset: 9500 }),
      amounts([['f1', 600]], 0, 0, 600),
      { offset_amount_cents: ['higher_than_remaining_invoice_amount'] },
    ],
  ])('rejects: %s', (_name, inv, a, expected) => {
    expect(checkCreditNoteAmounts(inv, [], a)).toEqual(expected);
  });

  it('counts earlier notes against each fee', () => {
    expect(
      checkCreditNoteAmounts(invoice(true), [previousNote('f1', 5000)], amounts([['f1', 1001]], 0, 1001)),
    ).toEqual({
      amount_cents: ['higher_than_remaining_fee_amount'],
    });
  });
});
