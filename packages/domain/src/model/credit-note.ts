import type { CurrencyCode } from '../money.js';
import type { Id, ProviderFailure, Versioned } from './common.js';

export const CREDIT_NOTE_REASONS = [
  'duplicated_charge',
  'product_unsatisfactory',
  'order_change',
  'order_cancellation',
  'fraudulent_charge',
  'other',
] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];

export interface CreditNoteItem {
  readonly id: Id;
  readonly feeId: Id;
  readonly amountCents: number;
}

export type RefundState =
  | { readonly status: 'pending' }
  | { readonly status: 'succeeded'; readonly refundedAt: Date }
  | { readonly status: 'failed'; readonly failedAt: Date; readonly failure: ProviderFailure };

/** Money going back to the payment method through the provider, for one credit note. */
export interface Refund {
  readonly id: Id;
  readonly paymentId: Id;
  readonly providerPaymentId: string;
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  readonly providerRefundId: string | null;
  readonly state: RefundState;
}

export interface CreditNote extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly invoiceId: Id;
  readonly customerId: Id;
  /** Per-invoice sequence. */
  readonly sequentialId: number;
  /** `{invoice number}-CN{seq:03}`. */
  readonly number: string;
  readonly issuingDate: string;
  readonly reason: CreditNoteReason;
  readonly description: string | null;
  readonly currency: CurrencyCode;
  readonly items: readonly CreditNoteItem[];
  readonly creditAmountCents: number;
  readonly refundAmountCents: number;
  readonly offsetAmountCents: number;
  readonly totalAmountCents: number;
  /** Remaining credit. */
  readonly balanceAmountCents: number;
  readonly creditStatus: 'available' | 'consumed' | 'voided';
  /** Null when `refundAmountCents` is 0 (Lago's `refund_status: null`). */
  readonly refund: Refund | null;
}
