import type { Address, UpsertCustomerInput } from '@payrail/domain';
import { z } from 'zod';

/** Columns of 255 characters; longer input is `value_is_too_long` rather than a database error. */
const optionalText = z.string().max(255).nullable().optional();

const BillingConfigurationInput = z
  .object({
    payment_provider: z.string().max(64).nullable().optional(),
    payment_provider_code: z.string().max(255).nullable().optional(),
    provider_customer_id: z.string().max(255).nullable().optional(),
    sync: z.boolean().optional(),
    sync_with_provider: z.boolean().optional(),
    provider_payment_methods: z.array(z.string().max(64)).max(20).nullable().optional(),
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
