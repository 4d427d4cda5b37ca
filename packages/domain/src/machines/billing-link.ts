import type { Id, ProviderFailure } from '../model/common.js';
import type { BillingLink, DefaultPaymentMethodChoice, StripeBillingLink } from '../model/customer.js';
import type { PaymentMethodType } from '../model/payment-method.js';

export const UNLINKED: BillingLink = { provider: 'none' };

interface LinkSettings {
  readonly connectionId: Id;
  readonly syncWithProvider: boolean;
  readonly paymentMethodTypes: readonly PaymentMethodType[];
}

/** An existing Stripe customer: linked at once, nothing is created. */
export function linkExisting(settings: LinkSettings, providerCustomerId: string): StripeBillingLink {
  return {
    provider: 'stripe',
    ...settings,
    providerCustomer: { status: 'linked', providerCustomerId },
    defaultPaymentMethod: null,
  };
}

/** Auto-create: pending until Stripe answers. */
export function requestProviderCustomer(settings: LinkSettings): StripeBillingLink {
  return {
    provider: 'stripe',
    ...settings,
    providerCustomer: { status: 'pending' },
    defaultPaymentMethod: null,
  };
}

export type PendingStripeLink = StripeBillingLink & {
  readonly providerCustomer: { readonly status: 'pending' };
};
export type LinkedStripeLink = StripeBillingLink & {
  readonly providerCustomer: { readonly status: 'linked'; readonly providerCustomerId: string };
};

export function isPending(link: BillingLink): link is PendingStripeLink {
  return link.provider === 'stripe' && link.providerCustomer.status === 'pending';
}

export function isLinked(link: BillingLink): link is LinkedStripeLink {
  return link.provider === 'stripe' && link.providerCustomer.status === 'linked';
}

export function providerCustomerCreated(
  link: PendingStripeLink,
  providerCustomerId: string,
): LinkedStripeLink {
  return { ...link, providerCustomer: { status: 'linked', providerCustomerId } };
}

export function providerCustomerFailed(link: PendingStripeLink, failure: ProviderFailure): StripeBillingLink {
  return { ...link, providerCustomer: { status: 'error', failure } };
}

export function withDefault(
  link: LinkedStripeLink,
  choice: DefaultPaymentMethodChoice | null,
): LinkedStripeLink {
  return { ...link, defaultPaymentMethod: choice };
}

export function providerCustomerIdOf(link: BillingLink): string | null {
  return isLinked(link) ? link.providerCustomer.providerCustomerId : null;
}
