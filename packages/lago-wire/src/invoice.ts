import type { Customer, Fee, Invoice, InvoiceSummary, PaymentWaitReason } from '@payrail/domain';
import type { LagoCustomer } from './customer.js';
import { majorUnits, preciseCents } from './decimal.js';
import { isoSeconds, isoSecondsOrNull } from './time.js';

export type LagoFeePaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded';

export interface LagoFee {
  readonly lago_id: string;
  readonly lago_charge_id: null;
  readonly lago_charge_filter_id: null;
  readonly lago_invoice_id: string;
  readonly lago_true_up_fee_id: null;
  readonly lago_true_up_parent_fee_id: null;
  readonly lago_subscription_id: null;
  readonly lago_customer_id: string;
  readonly external_customer_id: string;
  readonly external_subscription_id: null;
  readonly amount_cents: number;
  readonly precise_amount: string;
  readonly precise_total_amount: string;
  readonly amount_currency: string;
  readonly taxes_amount_cents: number;
  readonly taxes_precise_amount: string;
  readonly taxes_rate: number;
  readonly units: string;
  readonly precise_unit_amount: string;
  readonly total_aggregated_units: string;
  readonly total_amount_cents: number;
  readonly total_amount_currency: string;
  readonly events_count: null;
  readonly pay_in_advance: boolean;
  readonly invoiceable: boolean;
  readonly from_date: null;
  readonly to_date: null;
  readonly payment_status: LagoFeePaymentStatus;
  readonly created_at: string;
  readonly succeeded_at: string | null;
  readonly failed_at: string | null;
  readonly refunded_at: null;
  readonly event_transaction_id: null;
  readonly description: string | null;
  readonly sub_total_excluding_taxes_amount_cents: number;
  readonly sub_total_excluding_taxes_precise_amount_cents: string;
  readonly self_billed: boolean;
  readonly item: {
    readonly type: 'add_on';
    readonly code: string;
    readonly name: string;
    readonly description: string | null;
    readonly invoice_display_name: string | null;
    readonly filter_invoice_display_name: null;
    readonly filters: null;
    readonly lago_item_id: string;
    readonly item_type: 'AddOn';
    readonly grouped_by: Readonly<Record<string, string>>;
  };
  readonly applied_taxes: readonly unknown[];
}

export type LagoInvoiceStatus = 'draft' | 'finalized' | 'voided';

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

/** Lago's `InvoiceObject` (list items): no fees, credits, subscriptions or billing periods. */
export interface LagoInvoiceMetadata {
  readonly lago_id: string;
  readonly key: string;
  readonly value: string;
  readonly created_at: string;
}

export interface LagoInvoice {
  readonly lago_id: string;
  readonly billing_entity_code: string | null;
  readonly sequential_id: number | null;
  readonly number: string;
  readonly purchase_order_number: null;
  readonly issuing_date: string;
  readonly payment_dispute_lost_at: string | null;
  readonly payment_due_date: string | null;
  readonly payment_overdue: boolean;
  /**
   * Payrail addition: why a finalized invoice whose payment is pending is not being charged
   * (no payment method, customer not in Stripe yet, below Stripe's minimum, 3-D Secure ...);
   * null when nothing holds it back.
   */
  readonly payment_waiting_reason: PaymentWaitReason | null;
  readonly net_payment_term: number;
  readonly invoice_type: 'one_off';
  readonly status: LagoInvoiceStatus;
  readonly payment_status: 'pending' | 'succeeded' | 'failed';
  readonly currency: string;
  readonly fees_amount_cents: number;
  readonly coupons_amount_cents: number;
  readonly credit_notes_amount_cents: number;
  readonly sub_total_excluding_taxes_amount_cents: number;
  readonly taxes_amount_cents: number;
  readonly sub_total_including_taxes_amount_cents: number;
  readonly prepaid_credit_amount_cents: number;
  readonly prepaid_granted_credit_amount_cents: number | null;
  readonly prepaid_purchased_credit_amount_cents: number | null;
  readonly progressive_billing_credit_amount_cents: number;
  readonly total_amount_cents: number;
  readonly total_paid_amount_cents: number;
  readonly total_offsetted_credit_note_amount_cents: number;
  readonly total_due_amount_cents: number;
  readonly version_number: number;
  readonly self_billed: boolean;
  readonly file_url: null;
  readonly xml_url: null;
  readonly web_url: null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly voided_at: string | null;
  readonly customer: LagoCustomer;
  readonly metadata: readonly LagoInvoiceMetadata[];
  readonly applied_taxes: readonly unknown[];
  readonly applied_invoice_custom_sections: readonly unknown[];
}

/** Lago's `InvoiceObjectExtended`: single-invoice responses and webhooks. */
export interface LagoInvoiceExtended extends LagoInvoice {
  readonly fees: readonly LagoFee[];
  readonly credits: readonly unknown[];
  readonly subscriptions: readonly unknown[];
  readonly billing_periods: readonly unknown[];
  readonly applied_usage_thresholds: readonly unknown[];
  readonly error_details: readonly unknown[];
}

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
export interface LagoInvoicePaymentDetails {
  readonly lago_customer_id: string;
  readonly lago_invoice_id: string;
  readonly external_customer_id: string;
  readonly payment_provider: 'stripe';
  readonly payment_url: string;
  /** Payrail addition: when the page stops taking payments. */
  readonly expires_at: string;
}

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
