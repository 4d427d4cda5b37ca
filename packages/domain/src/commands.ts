import type { Id } from './model/common.js';
import type { ProviderPaymentMethod } from './model/payment-method.js';
import type { PaymentIntentOutcome, RefundOutcome } from './ports/payment-gateway.js';

/**
 * Inbound provider events translated by the adapter into domain commands. No provider type
 * crosses this line; what the adapter cannot map becomes `ignored` with a reason.
 */
export type StripeCommand =
  | {
      /** A setup (checkout) finished and saved a method for this customer. */
      readonly kind: 'setup_succeeded';
      readonly providerCustomerId: string;
      readonly paymentMethod: ProviderPaymentMethod;
    }
  | {
      /** The provider customer's default method changed (possibly by hand in Stripe's dashboard). */
      readonly kind: 'customer_default_payment_method_changed';
      readonly providerCustomerId: string;
      readonly paymentMethod: ProviderPaymentMethod | null;
    }
  | {
      readonly kind: 'payment_method_detached';
      /** The customer it was detached from, when the event says so. */
      readonly providerCustomerId: string | null;
      readonly providerPaymentMethodId: string;
    }
  | {
      readonly kind: 'payment_intent_outcome';
      /** From the intent's metadata; null for intents Payrail did not create. */
      readonly lagoPaymentId: Id | null;
      readonly lagoInvoiceId: Id | null;
      readonly outcome: PaymentIntentOutcome;
    }
  | {
      /** A hosted payment page Payrail made for an invoice (a payment link) completed or expired. */
      readonly kind: 'payment_checkout_changed';
      /** From the page's metadata. */
      readonly lagoPaymentId: Id;
      readonly providerSessionId: string;
    }
  | {
      readonly kind: 'dispute_closed';
      readonly providerPaymentId: string;
      readonly result: 'lost' | 'won' | 'other';
      /** The provider's dispute reason, e.g. `fraudulent`. */
      readonly reason: string | null;
      readonly closedAt: Date;
    }
  | {
      readonly kind: 'refund_outcome';
      readonly lagoCreditNoteId: Id | null;
      readonly outcome: RefundOutcome;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

export type StripeCommandKind = StripeCommand['kind'];

/** A command plus where it came from (the inbox row's connection and event id). */
export interface InboundStripeCommand {
  readonly organizationId: Id;
  readonly connectionId: Id;
  readonly providerEventId: string;
  readonly occurredAt: Date;
  readonly command: StripeCommand;
}
