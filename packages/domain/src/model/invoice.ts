import type { CurrencyCode } from '../money.js';
import type { Id, ProviderFailure, Versioned } from './common.js';

export interface Fee {
  readonly id: Id;
  readonly addOnId: Id;
  readonly addOnCode: string;
  readonly name: string;
  readonly invoiceDisplayName: string | null;
  readonly description: string | null;
  /** Decimal string, as Lago renders it ("2.5"). */
  readonly units: string;
  readonly unitAmountCents: number;
  /** units × unit amount, rounded half-up to a whole minor unit. */
  readonly amountCents: number;
  readonly currency: CurrencyCode;
}

/** Why a finalized invoice is waiting rather than being charged. */
export type PaymentWaitReason =
  | 'customer_has_no_payment_provider'
  | 'provider_customer_pending'
  | 'provider_customer_error'
  | 'no_payment_method'
  | 'amount_below_provider_minimum'
  | 'requires_action'
  /** A payment link is open: the customer pays on the provider's page, nothing else charges meanwhile. */
  | 'payment_link_open';

/**
 * The payment axis (Lago's `payment_status`), separate from the document axis (`status`).
 * `inFlightPaymentId` is what Lago calls `ready_for_payment_processing = false`: an attempt is
 * out at the provider and nobody else may start one.
 */
export type InvoicePayment =
  | {
      readonly status: 'pending';
      readonly inFlightPaymentId: Id | null;
      readonly waitingFor: PaymentWaitReason | null;
    }
  | { readonly status: 'succeeded'; readonly succeededAt: Date; readonly paymentId: Id | null }
  | {
      readonly status: 'failed';
      readonly failedAt: Date;
      readonly paymentId: Id | null;
      readonly failure: ProviderFailure;
    };

export type InvoicePaymentStatus = InvoicePayment['status'];

/** Sums of the credit notes issued on the invoice; refunds that failed are not counted. */
export interface CreditedAmounts {
  readonly creditCents: number;
  readonly refundCents: number;
  readonly offsetCents: number;
}

/** Free key/value pairs the billing platform attaches to an invoice (Lago's `metadata[]`). */
export interface InvoiceMetadataEntry {
  readonly id: Id;
  readonly key: string;
  readonly value: string;
  readonly createdAt: Date;
}

interface InvoiceFields extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly customerId: Id;
  readonly invoiceType: 'one_off';
  readonly currency: CurrencyCode;
  readonly fees: readonly Fee[];
  readonly feesAmountCents: number;
  /** Payrail computes no taxes; kept for Lago's amount fields. */
  readonly taxesAmountCents: number;
  readonly totalAmountCents: number;
  readonly totalPaidAmountCents: number;
  readonly credited: CreditedAmounts;
  readonly payment: InvoicePayment;
  readonly paymentDisputeLostAt: Date | null;
  readonly metadata: readonly InvoiceMetadataEntry[];
}

export interface DraftInvoice extends InvoiceFields {
  readonly status: 'draft';
}

export interface FinalizedInvoice extends InvoiceFields {
  readonly status: 'finalized';
  /** Per-customer sequence. */
  readonly sequentialId: number;
  readonly number: string;
  /** `YYYY-MM-DD`. */
  readonly issuingDate: string;
  readonly finalizedAt: Date;
}

export interface VoidedInvoice extends InvoiceFields {
  readonly status: 'voided';
  readonly sequentialId: number;
  readonly number: string;
  readonly issuingDate: string;
  readonly finalizedAt: Date;
  readonly voidedAt: Date;
}

export type Invoice = DraftInvoice | FinalizedInvoice | VoidedInvoice;

type WithoutFees<T> = T extends unknown ? Omit<T, 'fees'> : never;
/**
 * An invoice without its fee lines: what a list shows (Lago's list items carry no fees), read
 * without loading them. Every `Invoice` is one.
 */
export type InvoiceSummary = WithoutFees<Invoice>;
export type InvoiceStatus = Invoice['status'];
