import type { CreateCreditNoteInput, CreditNote, Invoice } from '@payrail/domain';
import { z } from 'zod';
import { CustomerSchema, type LagoCustomer } from './customer.js';
import { preciseCents } from './decimal.js';
import { FeeSchema, serializeFee } from './invoice.js';
import { cents, centsString, dateString, emptyList, nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';

export const CreditNoteItemSchema = z.object({
  lago_id: z.uuid(),
  amount_cents: z.number().int(),
  amount_currency: z.string(),
  fee: FeeSchema.nullable(),
});
export type LagoCreditNoteItem = z.output<typeof CreditNoteItemSchema>;

export const CreditNoteSchema = z
  .looseObject({
    lago_id: z.uuid(),
    billing_entity_code: nullableString,
    sequential_id: z.number().int(),
    number: z.string(),
    lago_invoice_id: z.uuid(),
    invoice_number: z.string(),
    purchase_order_number: nullableString,
    issuing_date: z.string(),
    credit_status: z.enum(['available', 'consumed', 'voided']),
    refund_status: z.enum(['pending', 'succeeded', 'failed']).nullable(),
    reason: z.string(),
    description: nullableString,
    currency: z.string(),
    total_amount_cents: z.number().int(),
    precise_total_amount_cents: z.string(),
    taxes_amount_cents: z.number().int(),
    precise_taxes_amount_cents: z.string(),
    taxes_rate: z.number(),
    sub_total_excluding_taxes_amount_cents: z.number().int(),
    balance_amount_cents: z.number().int(),
    credit_amount_cents: z.number().int(),
    refund_amount_cents: z.number().int(),
    offset_amount_cents: z.number().int(),
    coupons_adjustment_amount_cents: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
    file_url: nullableString,
    xml_url: nullableString,
    self_billed: z.boolean(),
    items: z.array(CreditNoteItemSchema),
    applied_taxes: emptyList,
    error_details: emptyList,
    customer: CustomerSchema,
  })
  .meta({ id: 'CreditNoteObject' });
export type LagoCreditNote = z.output<typeof CreditNoteSchema>;

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

/**
 * `credit_note` of `POST /credit_notes`, as `createCreditNote` takes it. The invoice and fee ids are
 * as sent (lower case): the API answers one that is not a UUID as an unknown invoice or fee.
 */
export const CreditNoteCreateInput = z
  .object({
    invoice_id: z.string().max(64),
    reason: z.string().max(64).nullable().optional(),
    description: z.string().max(4096).nullable().optional(),
    credit_amount_cents: cents.nullable().optional(),
    refund_amount_cents: cents.nullable().optional(),
    offset_amount_cents: cents.nullable().optional(),
    items: z
      .array(z.object({ fee_id: z.string().max(64), amount_cents: cents }))
      .max(500, 'value_is_invalid'),
  })
  .meta({ id: 'CreditNoteCreateInput' })
  .transform(
    (body): Omit<CreateCreditNoteInput, 'organizationId'> => ({
      invoiceId: body.invoice_id.toLowerCase(),
      items: body.items.map((item) => ({ feeId: item.fee_id.toLowerCase(), amountCents: item.amount_cents })),
      reason: body.reason,
      description: body.description,
      creditAmountCents: body.credit_amount_cents,
      refundAmountCents: body.refund_amount_cents,
      offsetAmountCents: body.offset_amount_cents,
    }),
  );

/** `GET /credit_notes`'s filters, as the list query takes them. */
export const CreditNoteListQuery = z
  .object({
    external_customer_id: z.string().max(255).optional(),
    currency: z.string().max(8).optional(),
    reason: z
      .enum([
        'duplicated_charge',
        'product_unsatisfactory',
        'order_change',
        'order_cancellation',
        'fraudulent_charge',
        'other',
      ])
      .optional(),
    credit_status: z.enum(['available', 'consumed', 'voided']).optional(),
    refund_status: z.enum(['pending', 'succeeded', 'failed']).optional(),
    issuing_date_from: dateString.optional(),
    issuing_date_to: dateString.optional(),
    amount_from: centsString.optional(),
    amount_to: centsString.optional(),
    search_term: z.string().max(255).optional(),
    invoice_number: z.string().max(255).optional(),
  })
  .transform((q) => ({
    externalCustomerId: q.external_customer_id,
    currency: q.currency?.toUpperCase(),
    reason: q.reason,
    creditStatus: q.credit_status,
    refundStatus: q.refund_status,
    issuingDateFrom: q.issuing_date_from,
    issuingDateTo: q.issuing_date_to,
    amountFrom: q.amount_from,
    amountTo: q.amount_to,
    searchTerm: q.search_term,
    invoiceNumber: q.invoice_number,
  }));
