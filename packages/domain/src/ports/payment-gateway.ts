import type { Id } from '../model/common.js';
import type { Address } from '../model/customer.js';
import type { BankTransferRequest } from '../model/payment.js';
import type { PaymentMethodType, ProviderPaymentMethod } from '../model/payment-method.js';
import type { CurrencyCode } from '../money.js';
import type { Result } from '../result.js';
import type { Secret } from '../secret.js';

/** Provider failures in domain words. `retryable` covers 429, lock timeouts, 5xx and network errors. */
export type GatewayError =
  | {
      readonly code: 'card_declined';
      readonly providerCode: string;
      readonly message: string;
      readonly providerPaymentId: string | null;
      readonly details?: GatewayErrorDetails;
    }
  | { readonly code: 'amount_too_small'; readonly message: string; readonly details?: GatewayErrorDetails }
  | {
      /** The charge needs the customer (3DS) and could not proceed off-session. */
      readonly code: 'requires_action';
      readonly providerCode: string;
      readonly message: string;
      readonly providerPaymentId: string | null;
      readonly details?: GatewayErrorDetails;
    }
  | {
      /**
       * A bank debit (SEPA, ACH, Bacs) refused because no active mandate authorizes it, e.g. a
       * method saved without the customer accepting one: only the customer can fix it, by saving
       * the method again through a checkout link. Retrying as is cannot help.
       */
      readonly code: 'mandate_required';
      readonly message: string;
      readonly providerPaymentId: string | null;
      readonly details?: GatewayErrorDetails;
    }
  | {
      readonly code: 'retryable';
      readonly reason: 'rate_limited' | 'lock_timeout' | 'server_error' | 'network';
      readonly message: string;
    }
  | { readonly code: 'invalid_credentials'; readonly message: string }
  | {
      readonly code: 'invalid_request';
      readonly providerCode: string | null;
      readonly message: string;
      readonly details?: GatewayErrorDetails;
    }
  | { readonly code: 'not_found'; readonly message: string; readonly details?: GatewayErrorDetails };

export type GatewayErrorCode = GatewayError['code'];

/** What Lago echoes in `error_details` for provider errors. */
export interface GatewayErrorDetails {
  readonly requestId: string | null;
  readonly httpStatus: number | null;
  readonly httpBody: unknown;
}

export type GatewayResult<T> = Promise<Result<T, GatewayError>>;

/** A payment intent's state in domain words, with the provider's raw status kept for display. */
export type PaymentIntentOutcome = {
  readonly providerPaymentId: string;
  readonly providerStatus: string;
  readonly amountCents: number;
  readonly currency: CurrencyCode;
} & (
  | { readonly status: 'succeeded' }
  | { readonly status: 'processing' }
  | { readonly status: 'requires_action'; readonly nextAction: Readonly<Record<string, unknown>> }
  | { readonly status: 'failed'; readonly code: string; readonly message: string }
  | { readonly status: 'canceled'; readonly reason: string | null }
);

export type RefundOutcome = {
  readonly providerRefundId: string;
  readonly providerPaymentId: string;
  readonly amountCents: number;
} & (
  | { readonly status: 'pending' }
  | { readonly status: 'succeeded' }
  | { readonly status: 'failed'; readonly code: string; readonly message: string }
);

/** A dispute the provider closed as lost: the money went back to the cardholder for good. */
export interface LostDispute {
  readonly providerDisputeId: string;
  readonly providerPaymentId: string;
  /** The provider's dispute reason, e.g. `fraudulent`. */
  readonly reason: string | null;
  readonly closedAt: Date;
}

/** A hosted payment page (a payment-mode Checkout Session) in domain words. */
export interface PaymentCheckoutState {
  readonly providerSessionId: string;
  /** `open` takes payments; `complete` was paid (or its bank debit is processing); `expired` never will be. */
  readonly status: 'open' | 'complete' | 'expired';
  /** Null once the page no longer takes payments. */
  readonly url: string | null;
  readonly expiresAt: Date;
  /** The intent behind the page, once the customer submitted it; null before. */
  readonly payment: PaymentIntentOutcome | null;
}

export interface ProviderCustomerData {
  readonly name: string | null;
  /** The first address of Lago's comma-separated list. */
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: Address;
}

/** One Stripe account. Idempotency keys are always derived from our own ids. */
export interface PaymentGateway {
  registerWebhookEndpoint(input: {
    readonly url: string;
  }): GatewayResult<{ readonly providerEndpointId: string; readonly signingSecret: Secret }>;
  updateWebhookEndpoint(input: {
    readonly providerEndpointId: string;
    readonly url: string;
  }): GatewayResult<void>;
  deleteWebhookEndpoint(input: { readonly providerEndpointId: string }): GatewayResult<void>;

  createCustomer(
    input: ProviderCustomerData & {
      readonly metadata: { readonly lago_customer_id: Id; readonly customer_id: string };
      readonly idempotencyKey: string;
    },
  ): GatewayResult<{ readonly providerCustomerId: string }>;
  updateCustomer(input: ProviderCustomerData & { readonly providerCustomerId: string }): GatewayResult<void>;

  createSetupCheckoutSession(input: {
    readonly providerCustomerId: string;
    readonly methods: readonly PaymentMethodType[];
    /** Null = the provider's own page. */
    readonly successUrl: string | null;
    readonly currency: CurrencyCode | null;
    readonly expiresAt: Date;
  }): GatewayResult<{ readonly url: string; readonly providerSessionId: string; readonly expiresAt: Date }>;

  /**
   * A one-time hosted payment page for `amountCents` (one line item), lasting the provider's default
   * lifetime (24 hours). The metadata goes on the page and on the intent made when the customer
   * pays, so its events name our attempt.
   */
  createPaymentCheckoutSession(input: {
    readonly providerCustomerId: string;
    readonly amountCents: number;
    readonly currency: CurrencyCode;
    readonly lineItemName: string;
    readonly allowedMethods: readonly PaymentMethodType[];
    /** How a `customer_balance` payment on the page is transferred. */
    readonly bankTransfer?: BankTransferRequest | null;
    readonly description: string;
    /** Null = the provider's own page. */
    readonly successUrl: string | null;
    readonly metadata: Readonly<Record<string, string>>;
    /** `payment-{payment id}`: a resumed creation gets the same page back. */
    readonly idempotencyKey: string;
  }): GatewayResult<PaymentCheckoutState>;
  retrievePaymentCheckoutSession(input: {
    readonly providerSessionId: string;
  }): GatewayResult<PaymentCheckoutState>;
  /** Closes an open page; a page already paid or expired is returned as it is. */
  expirePaymentCheckoutSession(input: {
    readonly providerSessionId: string;
  }): GatewayResult<PaymentCheckoutState>;

  /** Newest first. */
  listPaymentMethods(input: {
    readonly providerCustomerId: string;
  }): GatewayResult<readonly ProviderPaymentMethod[]>;
  getDefaultPaymentMethod(input: {
    readonly providerCustomerId: string;
  }): GatewayResult<ProviderPaymentMethod | null>;
  setDefaultPaymentMethod(input: {
    readonly providerCustomerId: string;
    readonly providerPaymentMethodId: string;
  }): GatewayResult<void>;

  /** Creates and confirms off-session; a card that needs 3D Secure is confirmed again on-session and answers `requires_action`. */
  createPaymentIntent(input: {
    readonly amountCents: number;
    readonly currency: CurrencyCode;
    readonly providerCustomerId: string;
    /** Null only for a bank transfer, which needs no saved method. */
    readonly providerPaymentMethodId: string | null;
    readonly allowedMethods: readonly PaymentMethodType[];
    /** A `customer_balance` payment: Stripe answers `requires_action` with the transfer instructions. */
    readonly bankTransfer?: BankTransferRequest | null;
    /** The saved method's type when known: a boleto charge answers `requires_action` with its voucher. */
    readonly methodType?: PaymentMethodType | 'other' | null;
    readonly description: string;
    readonly returnUrl: string | null;
    readonly metadata: Readonly<Record<string, string>>;
    /** `payment-{payment id}`: a retried job reuses it, so one attempt is one charge. */
    readonly idempotencyKey: string;
  }): GatewayResult<PaymentIntentOutcome>;
  retrievePaymentIntent(input: { readonly providerPaymentId: string }): GatewayResult<PaymentIntentOutcome>;
  /**
   * The intent created for one of our attempts when its id was never learnt (a lost answer): found
   * among the customer's intents created since `createdAfter` by the `lago_payment_id` metadata
   * Payrail writes on every intent. Null when the provider holds none.
   */
  findPaymentIntent(input: {
    readonly providerCustomerId: string;
    readonly lagoPaymentId: string;
    readonly createdAfter: Date;
  }): GatewayResult<PaymentIntentOutcome | null>;

  /**
   * Disputes closed as lost at `closedSince` or later, oldest first: what the `charge.dispute.closed`
   * webhooks would have said, read again for the ones that never arrived.
   */
  listLostDisputes(input: { readonly closedSince: Date }): GatewayResult<readonly LostDispute[]>;

  createRefund(input: {
    readonly providerPaymentId: string;
    readonly amountCents: number;
    readonly reason: 'duplicate' | 'requested_by_customer' | 'fraudulent' | null;
    readonly metadata: Readonly<Record<string, string>>;
    /** `refund-{refund id}`. */
    readonly idempotencyKey: string;
  }): GatewayResult<RefundOutcome>;
}

export interface GatewayCredentials {
  /** Null while connecting: the connection does not exist yet. */
  readonly connectionId: Id | null;
  readonly secretKey: Secret;
}

export interface PaymentGatewayFactory {
  forConnection(credentials: GatewayCredentials): PaymentGateway;
}
