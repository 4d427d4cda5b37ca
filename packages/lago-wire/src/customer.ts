import type { Address, Customer, ProviderCustomerState, UpsertCustomerInput } from '@payrail/domain';
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

/** Columns of 255 characters; longer input is `value_is_too_long` rather than a database error. */
const optionalText = z.string().max(255).nullable().optional();

const BillingConfigurationInput = z
  .object({
    payment_provider: z.string().max(64).nullable().optional(),
    payment_provider_code: z.string().max(255).nullable().optional(),
    provider_customer_id: z.string().max(255).nullable().optional(),
    sync: z.boolean().optional(),
    sync_with_provider: z.boolean().optional(),
    provider_payment_methods: z
      .array(z.string().max(64))
      .max(20)
      .nullable()
      .optional()
      .meta({
        description:
          'Stripe payment methods: `card` (any currency), `sepa_debit` (EUR), `us_bank_account` (USD), ' +
          '`bacs_debit` (GBP), `link` (only with `card`), `boleto` (BRL), `crypto` (USD, paid on the ' +
          'invoice payment URL), `customer_balance` (bank transfers in USD, EUR, GBP, JPY or MXN; alone; ' +
          'EUR needs the customer country in BE, DE, ES, FR, IE or NL). Default `["card"]`. An unknown ' +
          'value or a forbidden combination is 422 `value_is_invalid`; a list that can never charge the ' +
          "customer's currency is 422 `no_compatible_payment_method`.",
        example: ['card', 'link'],
      }),
    invoice_grace_period: z.number().int().min(0).nullable().optional(),
    document_locale: z.string().max(16).nullable().optional(),
  })
  .meta({ id: 'CustomerBillingConfigurationInput' });

const ADDRESS_KEYS = [
  ['address_line1', 'line1'],
  ['address_line2', 'line2'],
  ['city', 'city'],
  ['state', 'state'],
  ['zipcode', 'zipcode'],
  ['country', 'country'],
] as const;

/** The upsert's input as the body gives it; a key left out leaves the customer's value as it is. */
export type CustomerUpsertFields = Omit<UpsertCustomerInput, 'organizationId'>;

/**
 * `customer` of `POST /customers`, parsed into the upsert's input. A key that is absent stays
 * absent (undefined), one sent as null clears the value; the address is merged key by key, so only
 * the keys sent go into it.
 */
export const CustomerInput = z
  .object({
    external_id: z.string().min(1).max(255),
    name: optionalText,
    firstname: optionalText,
    lastname: optionalText,
    email: z.string().max(1024).nullable().optional(),
    phone: optionalText,
    currency: z.string().max(8).nullable().optional(),
    address_line1: optionalText,
    address_line2: optionalText,
    city: optionalText,
    state: optionalText,
    zipcode: optionalText,
    /** ISO 3166-1 alpha-2. */
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'value_is_invalid')
      .nullable()
      .optional(),
    billing_configuration: BillingConfigurationInput.optional(),
  })
  .meta({
    id: 'CustomerCreateInput',
    description:
      'Upsert by external_id; only the keys sent are changed. Other Lago fields are accepted and ignored.',
  })
  .transform((body): CustomerUpsertFields => {
    const address: Partial<Record<keyof Address, string | null>> = {};
    for (const [wire, domain] of ADDRESS_KEYS) if (body[wire] !== undefined) address[domain] = body[wire];
    const bc = body.billing_configuration;
    return {
      externalId: body.external_id,
      name: body.name,
      firstname: body.firstname,
      lastname: body.lastname,
      email: body.email,
      phone: body.phone,
      currency: body.currency,
      ...(Object.keys(address).length > 0 ? { address } : {}),
      ...(bc && {
        billingConfiguration: {
          paymentProvider: bc.payment_provider,
          paymentProviderCode: bc.payment_provider_code,
          providerCustomerId: bc.provider_customer_id,
          sync: bc.sync,
          syncWithProvider: bc.sync_with_provider,
          providerPaymentMethods: bc.provider_payment_methods,
        },
      }),
    };
  });

export const CustomerEnvelope = z.object({ customer: CustomerInput });

/** `GET /customers`'s filters, as the list query takes them. */
export const CustomerListQuery = z
  .object({
    external_id: z.string().optional(),
    search_term: z.string().max(255).optional(),
    currencies: z.array(z.string().max(8)).optional(),
    countries: z.array(z.string().max(8)).optional(),
  })
  .transform((q) => ({
    externalId: q.external_id,
    searchTerm: q.search_term,
    currencies: q.currencies,
    countries: q.countries,
  }));
