import { z } from '@hono/zod-openapi';

/** Columns of 255 characters; longer input is `value_is_too_long` rather than a database error. */
const optionalText = z.string().max(255).nullable().optional();

export const BillingConfigurationInput = z
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
      .openapi({
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
  .openapi('CustomerBillingConfigurationInput');

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
  .openapi('CustomerCreateInput', {
    description:
      'Upsert by external_id; only the keys sent are changed. Other Lago fields are accepted and ignored.',
  });

export const CustomerEnvelope = z.object({ customer: CustomerInput });

export const CustomerListQuery = z.object({
  external_id: z.string().optional(),
  search_term: z.string().max(255).optional(),
  currencies: z.array(z.string().max(8)).optional(),
  countries: z.array(z.string().max(8)).optional(),
});
