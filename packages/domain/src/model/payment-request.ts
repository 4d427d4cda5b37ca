import type { CurrencyCode } from '../money.js';
import type { Id, ProviderFailure, Versioned } from './common.js';

/** One invoice a payment request collects, with what was due on it when the request was made. */
export interface PaymentRequestItem {
  readonly invoiceId: Id;
  readonly amountCents: number;
}

interface PaymentRequestFields extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly customerId: Id;
  /** Where Lago would send the request; the customer's email when none was given. */
  readonly email: string | null;
  /** At least one, all of the customer, in the order given. The first one anchors the payment row. */
  readonly items: readonly PaymentRequestItem[];
  /** The sum of the items: what the customer is asked to pay, in one charge. */
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  /** The attempt charging the request, once the worker started it. */
  readonly paymentId: Id | null;
}

/**
 * Lago's payment request (dunning): several overdue invoices of one customer collected as one
 * payment. pending → succeeded | failed; the provider's record wins, so a failed request still
 * succeeds if the provider says the money moved.
 */
export interface PendingPaymentRequest extends PaymentRequestFields {
  readonly paymentStatus: 'pending';
}

export interface SucceededPaymentRequest extends PaymentRequestFields {
  readonly paymentStatus: 'succeeded';
  readonly paymentId: Id;
  readonly succeededAt: Date;
}

export interface FailedPaymentRequest extends PaymentRequestFields {
  readonly paymentStatus: 'failed';
  readonly failedAt: Date;
  readonly failure: ProviderFailure;
}

export type PaymentRequest = PendingPaymentRequest | SucceededPaymentRequest | FailedPaymentRequest;
export type PaymentRequestStatus = PaymentRequest['paymentStatus'];
