import type { Id, Versioned } from './common.js';

/** The Stripe payment methods Payrail collects with (Lago's `provider_payment_methods`). */
export const PAYMENT_METHOD_TYPES = [
  'card',
  'sepa_debit',
  'us_bank_account',
  'bacs_debit',
  'link',
  'boleto',
  'crypto',
  'customer_balance',
] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

export interface PaymentMethodDetails {
  readonly brand: string | null;
  readonly last4: string | null;
  readonly expMonth: number | null;
  readonly expYear: number | null;
}

/** A payment method saved at the provider, as the gateway reports it. */
export interface ProviderPaymentMethod {
  readonly providerPaymentMethodId: string;
  /** `other` for a provider type Payrail does not collect with (still usable as a default). */
  readonly type: PaymentMethodType | 'other';
  readonly details: PaymentMethodDetails | null;
  readonly createdAt: Date;
}

/**
 * Our copy of a customer's saved method (Lago's `payment_methods` list). Which one is the default
 * lives on the customer's billing link, so there is exactly one source of truth for it.
 */
export interface PaymentMethod extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly customerId: Id;
  readonly connectionId: Id;
  readonly providerCustomerId: string;
  readonly providerPaymentMethodId: string;
  readonly type: PaymentMethodType | 'other';
  readonly details: PaymentMethodDetails | null;
  /** Set when the method was detached at the provider or the customer was unlinked. */
  readonly deletedAt: Date | null;
}
