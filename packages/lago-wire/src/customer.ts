import type { Customer, ProviderCustomerState } from '@payrail/domain';
import { isoSeconds } from './time.js';

export interface LagoBillingConfiguration {
  readonly invoice_grace_period: number | null;
  readonly payment_provider: 'stripe' | null;
  readonly payment_provider_code: string | null;
  readonly provider_customer_id: string | null;
  readonly sync_with_provider: boolean | null;
  readonly document_locale: string | null;
  readonly provider_payment_methods: readonly string[] | null;
}

export interface LagoAddress {
  readonly address_line1: string | null;
  readonly address_line2: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly zipcode: string | null;
  readonly country: string | null;
}

export interface LagoCustomer extends LagoAddress {
  readonly lago_id: string;
  readonly sequential_id: number;
  readonly slug: string;
  readonly external_id: string;
  readonly billing_entity_code: string | null;
  readonly account_type: 'customer';
  readonly customer_type: null;
  readonly name: string | null;
  readonly firstname: string | null;
  readonly lastname: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly url: null;
  readonly logo_url: null;
  readonly legal_name: null;
  readonly legal_number: null;
  readonly tax_identification_number: null;
  readonly currency: string | null;
  readonly timezone: null;
  readonly applicable_timezone: 'UTC';
  readonly net_payment_term: null;
  readonly external_salesforce_id: null;
  readonly finalize_zero_amount_invoice: 'inherit';
  readonly skip_invoice_custom_sections: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly billing_configuration: LagoBillingConfiguration;
  readonly shipping_address: LagoAddress;
  readonly metadata: readonly unknown[];
  readonly taxes: readonly unknown[];
  readonly integration_customers: readonly unknown[];
}

/** Single-customer responses add these lists (always empty here: no custom sections, no sync errors kept). */
export interface LagoCustomerExtended extends LagoCustomer {
  readonly applicable_invoice_custom_sections: readonly unknown[];
  readonly error_details: readonly unknown[];
}

export interface CustomerRefs {
  /** Code of the Stripe connection behind the billing link; null when unlinked. */
  readonly connectionCode: string | null;
  /** The organization's document prefix; the slug is `{prefix}-{sequential_id:03}`. */
  readonly documentNumberPrefix: string;
}

function providerCustomerId(state: ProviderCustomerState): string | null {
  return state.status === 'linked' ? state.providerCustomerId : null;
}

export function serializeBillingConfiguration(
  customer: Customer,
  connectionCode: string | null,
): LagoBillingConfiguration {
  const link = customer.billing;
  const base = { invoice_grace_period: null, document_locale: null } as const;
  if (link.provider === 'none') {
    return {
      ...base,
      payment_provider: null,
      payment_provider_code: null,
      provider_customer_id: null,
      sync_with_provider: null,
      provider_payment_methods: null,
    };
  }
  return {
    ...base,
    payment_provider: 'stripe',
    payment_provider_code: connectionCode,
    provider_customer_id: providerCustomerId(link.providerCustomer),
    sync_with_provider: link.syncWithProvider,
    provider_payment_methods: [...link.paymentMethodTypes],
  };
}

function address(customer: Customer): LagoAddress {
  const a = customer.address;
  return {
    address_line1: a.line1,
    address_line2: a.line2,
    city: a.city,
    state: a.state,
    zipcode: a.zipcode,
    country: a.country,
  };
}

const NO_SHIPPING_ADDRESS: LagoAddress = {
  address_line1: null,
  address_line2: null,
  city: null,
  state: null,
  zipcode: null,
  country: null,
};

export function customerSlug(prefix: string, sequentialId: number): string {
  return `${prefix}-${String(sequentialId).padStart(3, '0')}`;
}

/** The customer as lists, invoices and webhooks embed it. */
export function serializeCustomer(customer: Customer, refs: CustomerRefs): LagoCustomer {
  return {
    lago_id: customer.id,
    sequential_id: customer.sequentialId,
    slug: customerSlug(refs.documentNumberPrefix, customer.sequentialId),
    external_id: customer.externalId,
    billing_entity_code: null,
    account_type: 'customer',
    customer_type: null,
    name: customer.name,
    firstname: customer.firstname,
    lastname: customer.lastname,
    email: customer.email,
    phone: customer.phone,
    url: null,
    logo_url: null,
    legal_name: null,
    legal_number: null,
    tax_identification_number: null,
    ...address(customer),
    currency: customer.currency,
    timezone: null,
    applicable_timezone: 'UTC',
    net_payment_term: null,
    external_salesforce_id: null,
    finalize_zero_amount_invoice: 'inherit',
    skip_invoice_custom_sections: false,
    created_at: isoSeconds(customer.createdAt),
    updated_at: isoSeconds(customer.updatedAt),
    billing_configuration: serializeBillingConfiguration(customer, refs.connectionCode),
    shipping_address: NO_SHIPPING_ADDRESS,
    metadata: [],
    taxes: [],
    integration_customers: [],
  };
}

/** The customer as `GET /customers/{id}` and the upsert return it. */
export function serializeCustomerExtended(customer: Customer, refs: CustomerRefs): LagoCustomerExtended {
  return {
    ...serializeCustomer(customer, refs),
    applicable_invoice_custom_sections: [],
    error_details: [],
  };
}

export interface LagoCheckoutUrl {
  readonly lago_customer_id: string;
  readonly external_customer_id: string;
  readonly payment_provider: 'stripe';
  readonly payment_provider_code: string;
  readonly checkout_url: string;
  /** Payrail's addition: when the link stops working (24 hours after it was created). */
  readonly expires_at: string;
}

export function serializeCheckoutUrl(link: {
  readonly customer: Customer;
  readonly paymentProviderCode: string;
  readonly url: string;
  readonly expiresAt: Date;
}): LagoCheckoutUrl {
  return {
    lago_customer_id: link.customer.id,
    external_customer_id: link.customer.externalId,
    payment_provider: 'stripe',
    payment_provider_code: link.paymentProviderCode,
    checkout_url: link.url,
    expires_at: isoSeconds(link.expiresAt),
  };
}
