import type {
  CreateOneOffInvoiceInput,
  Customer,
  Fee,
  Invoice,
  InvoiceSummary,
  PaymentWaitReason,
  UpdateInvoiceInput,
} from '@payrail/domain';
import { z } from 'zod';
import { CustomerSchema, type LagoCustomer } from './customer.js';
import { majorUnits, preciseCents } from './decimal.js';
import {
  booleanString,
  cents,
  centsString,
  dateString,
  emptyList,
  nullableString,
  scalarOrArray,
  timestamp,
} from './schema.js';
import { isoSeconds, isoSecondsOrNull } from './time.js';

export const FeeSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_charge_id: nullableString,
    lago_charge_filter_id: nullableString,
    lago_invoice_id: z.uuid(),
    lago_true_up_fee_id: nullableString,
    lago_true_up_parent_fee_id: nullableString,
    lago_subscription_id: nullableString,
    lago_customer_id: z.uuid(),
    external_customer_id: z.string(),
    external_subscription_id: nullableString,
    amount_cents: z.number().int(),
    precise_amount: z.string(),
    precise_total_amount: z.string(),
    amount_currency: z.string(),
    taxes_amount_cents: z.number().int(),
    taxes_precise_amount: z.string(),
    taxes_rate: z.number(),
    units: z.string(),
    precise_unit_amount: z.string(),
    total_aggregated_units: z.string(),
    total_amount_cents: z.number().int(),
    total_amount_currency: z.string(),
    events_count: z.number().int().nullable(),
    pay_in_advance: z.boolean(),
    invoiceable: z.boolean(),
    from_date: timestamp.nullable(),
    to_date: timestamp.nullable(),
    payment_status: z.enum(['pending', 'succeeded', 'failed', 'refunded']),
    created_at: timestamp,
    succeeded_at: timestamp.nullable(),
    failed_at: timestamp.nullable(),
    refunded_at: timestamp.nullable(),
    event_transaction_id: nullableString,
    description: nullableString,
    sub_total_excluding_taxes_amount_cents: z.number().int(),
    sub_total_excluding_taxes_precise_amount_cents: z.string(),
    self_billed: z.boolean(),
    item: z.looseObject({
      type: z.literal('add_on'),
      code: z.string(),
      name: z.string(),
      description: nullableString,
      invoice_display_name: nullableString,
      filter_invoice_display_name: nullableString,
      filters: z.record(z.string(), z.unknown()).nullable(),
      lago_item_id: z.uuid(),
      item_type: z.literal('AddOn'),
      grouped_by: z.record(z.string(), z.string()),
    }),
    applied_taxes: emptyList,
  })
  .meta({ id: 'FeeObject' });
export type LagoFee = z.output<typeof FeeSchema>;
export type LagoFeePaymentStatus = LagoFee['payment_status'];

/** Every reason an invoice can wait before Payrail charges it; a new domain reason breaks the build. */
const WAITING_REASONS: Readonly<Record<PaymentWaitReason, true>> = {
  customer_has_no_payment_provider: true,
  provider_customer_pending: true,
  provider_customer_error: true,
  no_payment_method: true,
  amount_below_provider_minimum: true,
  requires_action: true,
  payment_link_open: true,
};
export const PAYMENT_WAITING_REASONS = Object.keys(WAITING_REASONS) as readonly PaymentWaitReason[];

const InvoiceMetadataSchema = z
  .object({ lago_id: z.uuid(), key: z.string(), value: z.string(), created_at: timestamp })
  .meta({ id: 'InvoiceMetadataObject' });
export type LagoInvoiceMetadata = z.output<typeof InvoiceMetadataSchema>;

/** Lago's `InvoiceObject` (list items): no fees, credits, subscriptions or billing periods. */
export const InvoiceSchema = z
  .looseObject({
    lago_id: z.uuid(),
    billing_entity_code: nullableString,
    sequential_id: z.number().int().nullable(),
    number: z.string(),
    purchase_order_number: nullableString,
    issuing_date: z.string(),
    payment_dispute_lost_at: timestamp.nullable(),
    payment_due_date: z.string().nullable(),
    payment_overdue: z.boolean(),
    net_payment_term: z.number().int(),
    invoice_type: z.literal('one_off'),
    status: z.enum(['draft', 'finalized', 'voided']),
    payment_status: z.enum(['pending', 'succeeded', 'failed']),
    currency: z.string(),
    fees_amount_cents: z.number().int(),
    coupons_amount_cents: z.number().int(),
    credit_notes_amount_cents: z.number().int(),
    sub_total_excluding_taxes_amount_cents: z.number().int(),
    taxes_amount_cents: z.number().int(),
    sub_total_including_taxes_amount_cents: z.number().int(),
    prepaid_credit_amount_cents: z.number().int(),
    prepaid_granted_credit_amount_cents: z.number().int().nullable(),
    prepaid_purchased_credit_amount_cents: z.number().int().nullable(),
    progressive_billing_credit_amount_cents: z.number().int(),
    total_amount_cents: z.number().int(),
    total_paid_amount_cents: z.number().int(),
    total_offsetted_credit_note_amount_cents: z.number().int(),
    total_due_amount_cents: z.number().int(),
    version_number: z.number().int(),
    self_billed: z.boolean(),
    file_url: nullableString,
    xml_url: nullableString,
    web_url: nullableString,
    voided_at: timestamp.nullable(),
    payment_waiting_reason: z
      .enum(PAYMENT_WAITING_REASONS as [PaymentWaitReason, ...PaymentWaitReason[]])
      .nullable()
      .meta({
        description:
          "Payrail addition: why this finalized invoice is not being charged yet, null when nothing holds it back. `customer_has_no_payment_provider`: the customer is not linked to Stripe; `provider_customer_pending`: the Stripe customer is still being created; `provider_customer_error`: Stripe refused to create it; `no_payment_method`: no usable payment method saved; `amount_below_provider_minimum`: the amount due is below Stripe's minimum charge for the currency; `requires_action`: the customer must complete authentication (3-D Secure).",
      }),
    created_at: timestamp,
    updated_at: timestamp,
    customer: CustomerSchema,
    applied_taxes: emptyList,
    applied_invoice_custom_sections: emptyList,
    metadata: z.array(InvoiceMetadataSchema),
  })
  .meta({ id: 'InvoiceObject' });
export type LagoInvoice = z.output<typeof InvoiceSchema>;
export type LagoInvoiceStatus = LagoInvoice['status'];

const extendedFields = {
  fees: z.array(FeeSchema),
  credits: emptyList,
  subscriptions: emptyList,
  billing_periods: emptyList,
  applied_usage_thresholds: emptyList,
  error_details: emptyList,
};

/**
 * Lago's `InvoiceObjectExtended`: single-invoice responses and webhooks. Written as the list
 * invoice and its lists (the document shows `allOf` with a reference to `InvoiceObject`).
 */
export const InvoiceExtendedSchema = z
  .intersection(InvoiceSchema, z.looseObject(extendedFields))
  .meta({ id: 'InvoiceObjectExtended' });
export type LagoInvoiceExtended = LagoInvoice & z.output<z.ZodObject<typeof extendedFields>>;

/** Lago's current invoice format version; credit notes require at least 2. */
const VERSION_NUMBER = 4;

export interface InvoiceRefs {
  /** The invoice's customer, already serialized. */
  readonly customer: LagoCustomer;
  /** Used for the number of a draft (`{prefix}-DRAFT`). */
  readonly documentNumberPrefix: string;
}

function paidAt(invoice: Invoice): Date | null {
  return invoice.payment.status === 'succeeded' ? invoice.payment.succeededAt : null;
}

function failedAt(invoice: Invoice): Date | null {
  return invoice.payment.status === 'failed' ? invoice.payment.failedAt : null;
}

/** A fee as Lago renders it inside an invoice, a credit note item or a webhook. */
export function serializeFee(fee: Fee, invoice: Invoice, customer: LagoCustomer): LagoFee {
  return {
    lago_id: fee.id,
    lago_charge_id: null,
    lago_charge_filter_id: null,
    lago_invoice_id: invoice.id,
    lago_true_up_fee_id: null,
    lago_true_up_parent_fee_id: null,
    lago_subscription_id: null,
    lago_customer_id: invoice.customerId,
    external_customer_id: customer.external_id,
    external_subscription_id: null,
    amount_cents: fee.amountCents,
    precise_amount: majorUnits(fee.amountCents, fee.currency),
    precise_total_amount: majorUnits(fee.amountCents, fee.currency),
    amount_currency: fee.currency,
    taxes_amount_cents: 0,
    taxes_precise_amount: '0.0',
    taxes_rate: 0,
    units: fee.units,
    precise_unit_amount: majorUnits(fee.unitAmountCents, fee.currency),
    total_aggregated_units: fee.units,
    total_amount_cents: fee.amountCents,
    total_amount_currency: fee.currency,
    events_count: null,
    pay_in_advance: false,
    invoiceable: true,
    from_date: null,
    to_date: null,
    payment_status: invoice.payment.status,
    created_at: isoSeconds(invoice.createdAt),
    succeeded_at: isoSecondsOrNull(paidAt(invoice)),
    failed_at: isoSecondsOrNull(failedAt(invoice)),
    refunded_at: null,
    event_transaction_id: null,
    description: fee.description,
    sub_total_excluding_taxes_amount_cents: fee.amountCents,
    sub_total_excluding_taxes_precise_amount_cents: preciseCents(fee.amountCents),
    self_billed: false,
    item: {
      type: 'add_on',
      code: fee.addOnCode,
      name: fee.name,
      description: fee.description,
      invoice_display_name: fee.invoiceDisplayName,
      filter_invoice_display_name: null,
      filters: null,
      lago_item_id: fee.addOnId,
      item_type: 'AddOn',
      grouped_by: {},
    },
    applied_taxes: [],
  };
}

/** A list item: needs no fees, so a list reads none. */
export function serializeInvoice(invoice: InvoiceSummary, refs: InvoiceRefs): LagoInvoice {
  const issued = invoice.status === 'draft' ? null : invoice;
  const issuingDate = issued ? issued.issuingDate : invoice.createdAt.toISOString().slice(0, 10);
  const offset = invoice.credited.offsetCents;
  const due =
    invoice.payment.status === 'succeeded'
      ? 0
      : Math.max(0, invoice.totalAmountCents - invoice.totalPaidAmountCents - offset);
  const subTotalExcludingTaxes = invoice.feesAmountCents;
  return {
    lago_id: invoice.id,
    billing_entity_code: null,
    sequential_id: issued ? issued.sequentialId : null,
    number: issued ? issued.number : `${refs.documentNumberPrefix}-DRAFT`,
    purchase_order_number: null,
    issuing_date: issuingDate,
    payment_dispute_lost_at: isoSecondsOrNull(invoice.paymentDisputeLostAt),
    payment_due_date: issued ? issuingDate : null,
    payment_overdue: false,
    payment_waiting_reason:
      invoice.status === 'finalized' && invoice.payment.status === 'pending'
        ? invoice.payment.waitingFor
        : null,
    net_payment_term: 0,
    invoice_type: 'one_off',
    status: invoice.status,
    payment_status: invoice.payment.status,
    currency: invoice.currency,
    fees_amount_cents: invoice.feesAmountCents,
    coupons_amount_cents: 0,
    credit_notes_amount_cents: 0,
    sub_total_excluding_taxes_amount_cents: subTotalExcludingTaxes,
    taxes_amount_cents: invoice.taxesAmountCents,
    sub_total_including_taxes_amount_cents: subTotalExcludingTaxes + invoice.taxesAmountCents,
    prepaid_credit_amount_cents: 0,
    prepaid_granted_credit_amount_cents: null,
    prepaid_purchased_credit_amount_cents: null,
    progressive_billing_credit_amount_cents: 0,
    total_amount_cents: invoice.totalAmountCents,
    total_paid_amount_cents: invoice.totalPaidAmountCents,
    total_offsetted_credit_note_amount_cents: offset,
    total_due_amount_cents: due,
    version_number: VERSION_NUMBER,
    self_billed: false,
    file_url: null,
    xml_url: null,
    web_url: null,
    created_at: isoSeconds(invoice.createdAt),
    updated_at: isoSeconds(invoice.updatedAt),
    voided_at: invoice.status === 'voided' ? isoSeconds(invoice.voidedAt) : null,
    customer: refs.customer,
    metadata: invoice.metadata.map((m) => ({
      lago_id: m.id,
      key: m.key,
      value: m.value,
      created_at: isoSeconds(m.createdAt),
    })),
    applied_taxes: [],
    applied_invoice_custom_sections: [],
  };
}

export function serializeInvoiceExtended(invoice: Invoice, refs: InvoiceRefs): LagoInvoiceExtended {
  return {
    ...serializeInvoice(invoice, refs),
    fees: invoice.fees.map((fee) => serializeFee(fee, invoice, refs.customer)),
    credits: [],
    subscriptions: [],
    billing_periods: [],
    applied_usage_thresholds: [],
    error_details: [],
  };
}

/** Lago's `invoice_payment_details`: where the customer pays the invoice (a payment link). */
export const InvoicePaymentDetailsSchema = z
  .object({
    lago_customer_id: z.uuid(),
    lago_invoice_id: z.uuid(),
    external_customer_id: z.string(),
    payment_provider: z.literal('stripe'),
    payment_url: z.string(),
    expires_at: z.string().meta({
      description: 'Payrail addition: when the page stops taking payments (24 hours after it was made).',
    }),
  })
  .meta({ id: 'InvoicePaymentUrl' });
export type LagoInvoicePaymentDetails = z.output<typeof InvoicePaymentDetailsSchema>;

export function serializeInvoicePaymentDetails(link: {
  readonly invoice: Invoice;
  readonly customer: Customer;
  readonly url: string;
  readonly expiresAt: Date;
}): LagoInvoicePaymentDetails {
  return {
    lago_customer_id: link.customer.id,
    lago_invoice_id: link.invoice.id,
    external_customer_id: link.customer.externalId,
    payment_provider: 'stripe',
    payment_url: link.url,
    expires_at: isoSeconds(link.expiresAt),
  };
}

const OneOffFeeInput = z.object({
  add_on_code: z.string().max(255),
  unit_amount_cents: cents.nullable().optional(),
  units: z
    .union([z.number(), z.string().max(32)])
    .nullable()
    .optional(),
  description: z.string().max(4096).nullable().optional(),
  invoice_display_name: z.string().max(255).nullable().optional(),
  /** Lago 1.51 put `skip_psp` on fees; 1.53 moved it to the invoice. Both are honoured. */
  skip_psp: z.boolean().optional(),
  tax_codes: z.array(z.string()).optional(),
});

/**
 * `invoice` of `POST /invoices`, as `createOneOffInvoice` takes it: `skip_psp` on the invoice, or
 * else on any fee (Lago 1.51), keeps it from Stripe; no fees is the use case's `fees_not_found`.
 */
export const InvoiceCreateInput = z
  .object({
    external_customer_id: z.string().max(255),
    currency: z.string().max(8).nullable().optional(),
    skip_psp: z.boolean().optional(),
    purchase_order_number: z.string().max(255).nullable().optional(),
    fees: z.array(OneOffFeeInput).max(500).optional(),
  })
  .meta({ id: 'InvoiceOneOffCreateInput' })
  .transform((body): Omit<CreateOneOffInvoiceInput, 'organizationId'> => {
    const fees = body.fees ?? [];
    return {
      externalCustomerId: body.external_customer_id,
      currency: body.currency,
      skipPsp: body.skip_psp ?? fees.some((fee) => fee.skip_psp === true),
      fees: fees.map((fee) => ({
        addOnCode: fee.add_on_code,
        unitAmountCents: fee.unit_amount_cents,
        units: fee.units,
        description: fee.description,
        invoiceDisplayName: fee.invoice_display_name,
      })),
    };
  });

/** `invoice` of `PUT /invoices/{id}`: a manual payment status and/or the whole metadata. */
export const InvoiceUpdateInput = z
  .object({
    payment_status: z.enum(['pending', 'succeeded', 'failed']).optional(),
    metadata: z
      .array(
        z.object({
          id: z.string().max(64).nullable().optional(),
          key: z.string().max(1024),
          value: z.string().max(8192),
        }),
      )
      .max(1000, 'value_is_invalid')
      .optional(),
  })
  .meta({ id: 'InvoiceUpdateInput' })
  .transform(
    (body): Omit<UpdateInvoiceInput, 'organizationId' | 'invoiceId'> => ({
      paymentStatus: body.payment_status,
      metadata: body.metadata?.map((m) => ({ id: m.id ?? null, key: m.key, value: m.value })),
    }),
  );

/** `POST /invoices/{id}/void`'s optional body; Payrail voids without a credit note. */
export const InvoiceVoidInput = z
  .object({
    generate_credit_note: z.boolean().optional(),
    refund_amount: z.number().int().min(0).optional(),
    credit_amount: z.number().int().min(0).optional(),
  })
  .meta({ id: 'InvoiceVoidInput' })
  .transform((body) => ({ generateCreditNote: body.generate_credit_note === true }));

/** `POST /invoices/{id}/retry_payment`'s optional body: checked, then the default method is charged. */
export const InvoiceRetryPaymentInput = z
  .object({
    payment_method: z
      .object({
        payment_method_type: z.enum(['provider', 'manual']),
        payment_method_id: z.string().nullable().optional(),
      })
      .optional(),
  })
  .meta({ id: 'InvoiceRetryPaymentInput' });

const documentStatus = z.enum(['draft', 'finalized', 'voided', 'failed', 'pending']);
const paymentStatus = z.enum(['pending', 'succeeded', 'failed']);
type DocumentStatus = LagoInvoiceStatus;

function isDocumentStatus(status: string): status is DocumentStatus {
  return status === 'draft' || status === 'finalized' || status === 'voided';
}

/**
 * `GET /invoices`'s filters, as the list query takes them; null when no invoice can match.
 * Lago accepts `status`/`statuses` and `payment_status`/`payment_statuses`, scalar or array.
 */
export const InvoiceListQuery = z
  .object({
    external_customer_id: z.string().optional(),
    customer_external_id: z.string().optional(),
    status: scalarOrArray(documentStatus).optional(),
    statuses: scalarOrArray(documentStatus).optional(),
    payment_status: scalarOrArray(paymentStatus).optional(),
    payment_statuses: scalarOrArray(paymentStatus).optional(),
    currency: z.string().max(8).optional(),
    issuing_date_from: dateString.optional(),
    issuing_date_to: dateString.optional(),
    amount_from: centsString.optional(),
    amount_to: centsString.optional(),
    payment_overdue: booleanString.optional(),
    payment_dispute_lost: booleanString.optional(),
    invoice_type: z
      .enum(['subscription', 'add_on', 'credit', 'one_off', 'advance_charges', 'progressive_billing'])
      .optional(),
    search_term: z.string().max(255).optional(),
  })
  .transform((q) => {
    // Payrail issues one-off invoices only; failed/pending documents never exist.
    if (q.invoice_type !== undefined && q.invoice_type !== 'one_off') return null;
    const statuses = q.statuses ?? q.status;
    const documentStatuses = statuses?.filter(isDocumentStatus);
    if (documentStatuses?.length === 0) return null;
    return {
      externalCustomerId: q.external_customer_id ?? q.customer_external_id,
      statuses: documentStatuses,
      paymentStatuses: q.payment_statuses ?? q.payment_status,
      currency: q.currency?.toUpperCase(),
      issuingDateFrom: q.issuing_date_from,
      issuingDateTo: q.issuing_date_to,
      amountFrom: q.amount_from,
      amountTo: q.amount_to,
      paymentDisputeLost: q.payment_dispute_lost,
      paymentOverdue: q.payment_overdue,
      searchTerm: q.search_term,
    };
  });
