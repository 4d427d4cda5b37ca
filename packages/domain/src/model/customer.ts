import type { CurrencyCode } from '../money.js';
import type { Id, ProviderFailure, Versioned } from './common.js';
import type { PaymentMethodType } from './payment-method.js';

export interface Address {
  readonly line1: string | null;
  readonly line2: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly zipcode: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly country: string | null;
}

/** How the Stripe customer behind a link came to be and where it stands. */
export type ProviderCustomerState =
  /** Payrail asked Stripe to create the customer; waiting for the answer. */
  | { readonly status: 'pending' }
  | { readonly status: 'linked'; readonly providerCustomerId: string }
  /** Creation failed; the failure was reported with `customer.payment_provider_error`. */
  | { readonly status: 'error'; readonly failure: ProviderFailure };

/** Which saved method is charged, and why it was chosen (a manual choice beats recency). */
export interface DefaultPaymentMethodChoice {
  readonly paymentMethodId: Id;
  readonly chosenBy: 'new_method' | 'manual' | 'provider';
}

export type BillingLink =
  | { readonly provider: 'none' }
  | {
      readonly provider: 'stripe';
      readonly connectionId: Id;
      readonly syncWithProvider: boolean;
      readonly paymentMethodTypes: readonly PaymentMethodType[];
      readonly providerCustomer: ProviderCustomerState;
      readonly defaultPaymentMethod: DefaultPaymentMethodChoice | null;
    };

export type StripeBillingLink = Extract<BillingLink, { provider: 'stripe' }>;

export interface Customer extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly externalId: string;
  /** Per-organization sequence; part of invoice numbers. */
  readonly sequentialId: number;
  readonly name: string | null;
  readonly firstname: string | null;
  readonly lastname: string | null;
  /** Lago accepts a comma-separated list; the first address goes to Stripe. */
  readonly email: string | null;
  readonly phone: string | null;
  readonly currency: CurrencyCode | null;
  readonly address: Address;
  readonly billing: BillingLink;
  readonly deletedAt: Date | null;
}
