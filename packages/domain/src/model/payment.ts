import type { CurrencyCode } from '../money.js';
import type { Id, ProviderFailure, Versioned } from './common.js';
import type { PaymentMethodType } from './payment-method.js';

/** A `customer_balance` payment: the bank transfer Stripe asks the customer to make. */
export interface BankTransferRequest {
  readonly type:
    | 'us_bank_transfer'
    | 'gb_bank_transfer'
    | 'eu_bank_transfer'
    | 'jp_bank_transfer'
    | 'mx_bank_transfer';
  /** EUR only: the country of the IBAN. */
  readonly country: string | null;
}

/**
 * What was sent to the provider for an attempt beyond the row's own fields (customer, method,
 * amount, currency). A resumed attempt sends exactly this again, never values read anew from the
 * customer or the connection, so the provider's idempotency check always sees the same request.
 */
export interface PaymentRequestSnapshot {
  readonly allowedMethods: readonly PaymentMethodType[];
  readonly description: string;
  /** Where the customer lands after 3D Secure, or after paying on a link attempt's page. */
  readonly returnUrl: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Set for a bank-transfer attempt, charged without a saved method: the customer is asked to
   * transfer the amount into their Stripe cash balance. Absent on attempts recorded before.
   */
  readonly bankTransfer?: BankTransferRequest | null;
  /**
   * The saved method's type, when the customer must act after the charge is sent (a boleto
   * voucher to pay): such a charge may stop in `requires_action`. Absent on attempts recorded before.
   */
  readonly methodType?: PaymentMethodType | 'other' | null;
}

/** The provider's hosted payment page of a link attempt, once the provider created it. */
export interface CheckoutSessionRef {
  readonly providerSessionId: string;
  readonly url: string;
  /** When the provider stops taking payments on the page (its own clock). */
  readonly expiresAt: Date;
}

/**
 * An attempt the customer pays themself on the provider's hosted page (Lago's invoice payment
 * URL), instead of an off-session charge of a saved method. It is in flight while the page is
 * open, so nothing else can charge the invoice meanwhile.
 */
export interface PaymentCheckout {
  /** The page's one line item (the invoice number). */
  readonly lineItemName: string;
  readonly session: CheckoutSessionRef | null;
}

interface PaymentFields extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  /** The invoice paid; for a payment request's attempt, the request's first invoice (decision 0270). */
  readonly invoiceId: Id;
  /**
   * Set when the attempt pays a payment request: it then pays every invoice of the request, in one
   * charge. Absent or null for an attempt on one invoice.
   */
  readonly paymentRequestId?: Id | null;
  readonly customerId: Id;
  readonly connectionId: Id;
  readonly providerCustomerId: string;
  /** The provider method charged (`pm_…`); null for a link attempt, where the customer picks it on the page. */
  readonly providerPaymentMethodId: string | null;
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  /** Known once the provider answered (`pi_…`). */
  readonly providerPaymentId: string | null;
  /** The provider's raw status word, echoed in Lago's `payment.status`; opaque to the domain. */
  readonly providerStatus: string | null;
  /**
   * The request as first sent. Null only for attempts recorded before requests were kept: such an
   * attempt is never sent again, only looked up at the provider.
   */
  readonly request: PaymentRequestSnapshot | null;
  /** Set for a link attempt (a hosted page); null for an off-session charge. */
  readonly checkout: PaymentCheckout | null;
}

/**
 * One row per attempt. pending → processing → succeeded | failed | requires_action; a payment only
 * moves forward (see `payment-machine.ts`), and succeeded/failed are final.
 */
export interface PendingPayment extends PaymentFields {
  readonly status: 'pending';
}

export interface RequiresActionPayment extends PaymentFields {
  readonly status: 'requires_action';
  readonly providerPaymentId: string;
  /** The provider's `next_action` object, passed through to `payment.requires_action`. */
  readonly nextAction: Readonly<Record<string, unknown>>;
}

export interface ProcessingPayment extends PaymentFields {
  readonly status: 'processing';
  readonly providerPaymentId: string;
}

export interface SucceededPayment extends PaymentFields {
  readonly status: 'succeeded';
  readonly succeededAt: Date;
}

export interface FailedPayment extends PaymentFields {
  readonly status: 'failed';
  readonly failedAt: Date;
  readonly failure: ProviderFailure;
  /** The provider canceled the attempt; counts as a failure. */
  readonly canceled: boolean;
  /** Failed below the provider's minimum: the invoice keeps waiting instead of failing. */
  readonly belowMinimum: boolean;
}

export type Payment =
  | PendingPayment
  | RequiresActionPayment
  | ProcessingPayment
  | SucceededPayment
  | FailedPayment;
export type PaymentStatus = Payment['status'];
/** Still out at the provider: the invoice may not start another attempt. */
export type InFlightPayment = PendingPayment | RequiresActionPayment | ProcessingPayment;
