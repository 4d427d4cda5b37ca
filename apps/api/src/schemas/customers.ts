import { z } from '@hono/zod-openapi';

const optionalText = z.string().max(1024).nullable().optional();

export const BillingConfigurationInput = z
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
  .openapi('CustomerBillingConfigurationInput');

export const CustomerInput = z
  .object({
    external_id: z.string().min(1).max(255),
    name: optionalText,
    firstname: optionalText,
    lastname: optionalText,
    email: optionalText,
    phone: optionalText,
    currency: z.string().max(8).nullable().optional(),
    address_line1: optionalText,
    address_line2: optionalText,
    city: optionalText,
    state: optionalText,
    zipcode: optionalText,
    country: z.string().max(8).nullable().optional(),
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
