import type { CreditNote, Invoice } from '@payrail/domain';
import type { LagoCustomer } from './customer.js';
import { preciseCents } from './decimal.js';
import { type LagoFee, serializeFee } from './invoice.js';
import { isoSeconds } from './time.js';

export interface LagoCreditNoteItem {
  readonly lago_id: string;
  readonly amount_cents: number;
  readonly amount_currency: string;
  readonly fee: LagoFee | null;
}

export interface LagoCreditNote {
  readonly lago_id: string;
  readonly billing_entity_code: string | null;
  readonly sequential_id: number;
  readonly number: string;
  readonly lago_invoice_id: string;
  readonly invoice_number: string;
  readonly purchase_order_number: null;
  readonly issuing_date: string;
  readonly credit_status: 'available' | 'consumed' | 'voided';
  readonly refund_status: 'pending' | 'succeeded' | 'failed' | null;
  readonly reason: string;
  readonly description: string | null;
  readonly currency: string;
  readonly total_amount_cents: number;
  readonly precise_total_amount_cents: string;
  readonly taxes_amount_cents: number;
  readonly precise_taxes_amount_cents: string;
  readonly taxes_rate: number;
  readonly sub_total_excluding_taxes_amount_cents: number;
  readonly balance_amount_cents: number;
  readonly credit_amount_cents: number;
  readonly refund_amount_cents: number;
  readonly offset_amount_cents: number;
  readonly coupons_adjustment_amount_cents: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly file_url: null;
  readonly xml_url: null;
  readonly self_billed: boolean;
  readonly items: readonly LagoCreditNoteItem[];
  readonly applied_taxes: readonly unknown[];
  readonly error_details: readonly unknown[];
  readonly customer: LagoCustomer;
}

export interface CreditNoteRefs {
  readonly invoice: Invoice;
  readonly customer: LagoCustomer;
}

export function serializeCreditNote(note: CreditNote, refs: CreditNoteRefs): LagoCreditNote {
  const { invoice, customer } = refs;
  const fees = new Map(invoice.fees.map((fee) => [fee.id, fee]));
  return {
    lago_id: note.id,
    billing_entity_code: null,
    sequential_id: note.sequentialId,
    number: note.number,
    lago_invoice_id: note.invoiceId,
    invoice_number: invoice.status === 'draft' ? '' : invoice.number,
    purchase_order_number: null,
    issuing_date: note.issuingDate,
    credit_status: note.creditStatus,
    refund_status: note.refund ? note.refund.state.status : null,
    reason: note.reason,
    description: note.description,
    currency: note.currency,
    total_amount_cents: note.totalAmountCents,
    precise_total_amount_cents: preciseCents(note.totalAmountCents),
    taxes_amount_cents: 0,
    precise_taxes_amount_cents: preciseCents(0),
    taxes_rate: 0,
    sub_total_excluding_taxes_amount_cents: note.totalAmountCents,
    balance_amount_cents: note.balanceAmountCents,
    credit_amount_cents: note.creditAmountCents,
    refund_amount_cents: note.refundAmountCents,
    offset_amount_cents: note.offsetAmountCents,
    coupons_adjustment_amount_cents: 0,
    created_at: isoSeconds(note.createdAt),
    updated_at: isoSeconds(note.updatedAt),
    file_url: null,
    xml_url: null,
    self_billed: false,
    items: note.items.map((item) => {
      const fee = fees.get(item.feeId);
      return {
        lago_id: item.id,
        amount_cents: item.amountCents,
        amount_currency: note.currency,
        fee: fee ? serializeFee(fee, invoice, customer) : null,
      };
    }),
    applied_taxes: [],
    error_details: [],
    customer,
  };
}
