import type { ValidationCode, ValidationDetails } from '../errors.js';
import type { CreditNote } from '../model/credit-note.js';
import type { Invoice } from '../model/invoice.js';

export interface CreditNoteAmounts {
  readonly items: readonly { readonly feeId: string; readonly amountCents: number }[];
  readonly creditAmountCents: number;
  readonly refundAmountCents: number;
  readonly offsetAmountCents: number;
}

function add(details: Record<string, ValidationCode[]>, field: string, code: ValidationCode): void {
  const codes = details[field] ?? [];
  if (!codes.includes(code)) codes.push(code);
  details[field] = codes;
}

function isNonNegativeInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * All checks for a new credit note on `invoice`, given the notes already issued on it.
 * Returns the validation details (empty when valid). Fee existence is checked by the caller.
 */
export function checkCreditNoteAmounts(
  invoice: Invoice,
  previous: readonly CreditNote[],
  amounts: CreditNoteAmounts,
): ValidationDetails {
  const details: Record<string, ValidationCode[]> = {};
  const { creditAmountCents: credit, refundAmountCents: refund, offsetAmountCents: offset } = amounts;

  if (amounts.items.length === 0) add(details, 'items', 'value_is_mandatory');
  for (const item of amounts.items) {
    if (!Number.isSafeInteger(item.amountCents) || item.amountCents <= 0)
      add(details, 'amount_cents', 'invalid_value');
  }
  if (!isNonNegativeInteger(credit)) add(details, 'credit_amount_cents', 'invalid_value');
  if (!isNonNegativeInteger(refund)) add(details, 'refund_amount_cents', 'invalid_value');
  if (!isNonNegativeInteger(offset)) add(details, 'offset_amount_cents', 'invalid_value');
  if (Object.keys(details).length > 0) return details;

  for (const [feeId, requested] of sumByFee(amounts.items)) {
    const fee = invoice.fees.find((f) => f.id === feeId);
    const alreadyCredited = previous
      .flatMap((cn) => cn.items)
      .filter((i) => i.feeId === feeId)
      .reduce((s, i) => s + i.amountCents, 0);
    if (fee && requested > fee.amountCents - alreadyCredited) {
      add(details, 'amount_cents', 'higher_than_remaining_fee_amount');
    }
  }

  const itemsTotal = amounts.items.reduce((s, i) => s + i.amountCents, 0);
  if (credit + refund + offset !== itemsTotal) add(details, 'base', 'does_not_match_item_amounts');

  const paid = invoice.payment.status === 'succeeded';
  if (refund > 0) {
    if (invoice.paymentDisputeLostAt !== null)
      add(details, 'refund_amount_cents', 'cannot_refund_disputed_invoice');
    else if (!paid) add(details, 'refund_amount_cents', 'cannot_refund_unpaid_invoice');
    else if (refund > invoice.totalPaidAmountCents - invoice.credited.refundCents) {
      add(details, 'refund_amount_cents', 'higher_than_remaining_invoice_amount');
    }
  }
  if (credit > 0 && !paid) add(details, 'credit_amount_cents', 'cannot_credit_invoice');

  const creditedSoFar =
    invoice.credited.creditCents + invoice.credited.refundCents + invoice.credited.offsetCents;
  if (credit > 0 && credit + refund + offset > invoice.totalAmountCents - creditedSoFar) {
    add(details, 'credit_amount_cents', 'higher_than_remaining_invoice_amount');
  }
  const due = invoice.totalAmountCents - invoice.totalPaidAmountCents - invoice.credited.offsetCents;
  if (offset > 0 && offset > due) add(details, 'offset_amount_cents', 'higher_than_remaining_invoice_amount');
  return details;
}

function sumByFee(items: CreditNoteAmounts['items']): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(item.feeId, (sums.get(item.feeId) ?? 0) + item.amountCents);
  return sums;
}
