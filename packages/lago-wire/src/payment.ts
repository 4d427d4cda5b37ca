import type { ManualPayment, Payment, PaymentStatus } from '@payrail/domain';
import { assertNever } from '@payrail/domain';
import { isoSeconds } from './time.js';

export type LagoPaymentStatus = 'succeeded' | 'failed' | 'pending' | 'processing';

export interface LagoPayment {
  readonly lago_id: string;
  readonly lago_customer_id: string;
  readonly external_customer_id: string;
  readonly invoice_ids: readonly string[];
  readonly invoice_numbers: readonly string[];
  readonly lago_payable_id: string;
  readonly payable_type: 'Invoice' | 'PaymentRequest';
  readonly amount_cents: number;
  readonly amount_currency: string;
  /** The provider's raw status word (`requires_payment_method`, `succeeded`…). */
  readonly status: string;
  readonly payment_status: LagoPaymentStatus;
  readonly type: 'provider' | 'manual';
  readonly reference: string | null;
  readonly payment_provider_code: string | null;
  /** The spec's enum value, not Lago's STI class name (decision 0502); null for a manual payment. */
  readonly payment_provider_type: 'stripe' | null;
  readonly external_payment_id: string | null;
  readonly provider_payment_id: string | null;
  readonly provider_customer_id: string | null;
  readonly payment_method_id: string | null;
  readonly next_action: Readonly<Record<string, unknown>>;
  readonly created_at: string;
}

export interface PaymentRefs {
  readonly externalCustomerId: string;
  /** Null while the invoice is a draft (never the case for a paid one). */
  readonly invoiceNumber: string | null;
  readonly connectionCode: string | null;
  /** Our id of the charged method, when we know it. */
  readonly paymentMethodId: string | null;
  /**
   * For a payment request's attempt: every invoice it pays (ids and numbers, in the request's
   * order). Without it only the payment's own invoice is listed.
   */
  readonly paidInvoices?: { readonly ids: readonly string[]; readonly numbers: readonly string[] };
}

/** Lago folds `requires_action` into `pending`: the money is not moving yet. */
export function lagoPaymentStatus(status: PaymentStatus): LagoPaymentStatus {
  switch (status) {
    case 'pending':
    case 'requires_action':
      return 'pending';
    case 'processing':
      return 'processing';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    default:
      return assertNever(status, 'payment status');
  }
}

export function serializePayment(payment: Payment, refs: PaymentRefs): LagoPayment {
  return {
    lago_id: payment.id,
    lago_customer_id: payment.customerId,
    external_customer_id: refs.externalCustomerId,
    invoice_ids: refs.paidInvoices?.ids ?? [payment.invoiceId],
    invoice_numbers: refs.paidInvoices?.numbers ?? (refs.invoiceNumber ? [refs.invoiceNumber] : []),
    lago_payable_id: payment.paymentRequestId ?? payment.invoiceId,
    payable_type: payment.paymentRequestId ? 'PaymentRequest' : 'Invoice',
    amount_cents: payment.amountCents,
    amount_currency: payment.currency,
    status: payment.providerStatus ?? payment.status,
    payment_status: lagoPaymentStatus(payment.status),
    type: 'provider',
    reference: null,
    payment_provider_code: refs.connectionCode,
    payment_provider_type: 'stripe',
    external_payment_id: payment.providerPaymentId,
    provider_payment_id: payment.providerPaymentId,
    provider_customer_id: payment.providerCustomerId,
    payment_method_id: refs.paymentMethodId,
    next_action: payment.status === 'requires_action' ? payment.nextAction : {},
    created_at: isoSeconds(payment.createdAt),
  };
}

/** A payment recorded by hand (`type: manual`): settled, with the caller's reference, no provider. */
export function serializeManualPayment(
  payment: ManualPayment,
  refs: Pick<PaymentRefs, 'externalCustomerId' | 'invoiceNumber'>,
): LagoPayment {
  return {
    lago_id: payment.id,
    lago_customer_id: payment.customerId,
    external_customer_id: refs.externalCustomerId,
    invoice_ids: [payment.invoiceId],
    invoice_numbers: refs.invoiceNumber ? [refs.invoiceNumber] : [],
    lago_payable_id: payment.invoiceId,
    payable_type: 'Invoice',
    amount_cents: payment.amountCents,
    amount_currency: payment.currency,
    status: 'succeeded',
    payment_status: 'succeeded',
    type: 'manual',
    reference: payment.reference,
    payment_provider_code: null,
    payment_provider_type: null,
    external_payment_id: null,
    provider_payment_id: null,
    provider_customer_id: null,
    payment_method_id: null,
    next_action: {},
    created_at: isoSeconds(payment.createdAt),
  };
}
