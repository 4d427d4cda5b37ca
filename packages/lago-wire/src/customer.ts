import type { Customer, ProviderCustomerState } from '@payrail/domain';
import { z } from 'zod';
import { emptyList, nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';

export const BillingConfigurationSchema = z
  .looseObject({
    invoice_grace_period: z.number().int().nullable(),
    payment_provider: z.enum(['stripe']).nullable().meta({
      description:
        'Lago’s rule, kept here: `payment_provider` alone links nothing. The customer is linked to Stripe only when `sync_with_provider` is true (Payrail creates the Stripe customer) or `provider_customer_id` names an existing one; otherwise every billing field reads null.',
    }),
    payment_provider_code: nullableString,
    provider_customer_id: nullableString,
    sync_with_provider: z.boolean().nullable(),
    provider_payment_methods: z.array(z.string()).nullable(),
    document_locale: nullableString,
  })
  .meta({ id: 'CustomerBillingConfiguration' });
export type LagoBillingConfiguration = z.output<typeof BillingConfigurationSchema>;

export const AddressFields = {
  address_line1: nullableString,
  address_line2: nullableString,
  city: nullableString,
  state: nullableString,
  zipcode: nullableString,
  country: nullableString,
};
const AddressSchema = z.object(AddressFields);
export type LagoAddress = z.output<typeof AddressSchema>;

const customerFields = {
  lago_id: z.uuid(),
  sequential_id: z.number().int(),
  slug: z.string(),
  external_id: z.string(),
  billing_entity_code: nullableString,
  account_type: z.literal('customer'),
  customer_type: z.enum(['company', 'individual']).nullable(),
  name: nullableString,
  firstname: nullableString,
  lastname: nullableString,
  email: nullableString,
  phone: nullableString,
  url: nullableString,
  logo_url: nullableString,
  legal_name: nullableString,
  legal_number: nullableString,
  tax_identification_number: nullableString,
  currency: nullableString,
  timezone: nullableString,
  applicable_timezone: z.string(),
  net_payment_term: z.number().int().nullable(),
  external_salesforce_id: nullableString,
  finalize_zero_amount_invoice: z.enum(['inherit', 'skip', 'finalize']),
  skip_invoice_custom_sections: z.boolean(),
  ...AddressFields,
  created_at: timestamp,
  updated_at: timestamp,
  billing_configuration: BillingConfigurationSchema,
  shipping_address: AddressSchema,
  metadata: emptyList,
  taxes: emptyList,
  integration_customers: emptyList,
};
const singleCustomerFields = {
  applicable_invoice_custom_sections: emptyList,
  error_details: emptyList,
};

/** The customer as lists, invoices and webhooks embed it; single-customer responses add two lists. */
export const CustomerSchema = z
  .looseObject({
    ...customerFields,
    applicable_invoice_custom_sections: singleCustomerFields.applicable_invoice_custom_sections
      .optional()
      .meta({ description: 'In single-customer responses only' }),
    error_details: singleCustomerFields.error_details
      .optional()
      .meta({ description: 'In single-customer responses only' }),
  })
  .meta({ id: 'CustomerObject' });
export type LagoCustomer = z.output<z.ZodObject<typeof customerFields>>;
/** Single-customer responses add these lists (always empty here: no custom sections, no sync errors kept). */
export type LagoCustomerExtended = LagoCustomer & z.output<z.ZodObject<typeof singleCustomerFields>>;

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

export const CheckoutUrlSchema = z
  .object({
    lago_customer_id: z.uuid(),
    external_customer_id: z.string(),
    payment_provider: z.literal('stripe'),
    payment_provider_code: z.string(),
    checkout_url: z.string(),
    expires_at: z
      .string()
      .meta({ description: 'Payrail addition: the link expires 24 hours after creation.' }),
  })
  .meta({ id: 'CustomerCheckoutUrl' });
export type LagoCheckoutUrl = z.output<typeof CheckoutUrlSchema>;

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
