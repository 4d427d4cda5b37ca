import type { Organization } from '@payrail/domain';
import { z } from 'zod';
import { AddressFields } from './customer.js';
import { emptyList, nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';
import { webhookUrl } from './webhook-endpoint.js';

export const OrganizationSchema = z
  .looseObject({
    lago_id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    created_at: timestamp,
    /** The first endpoint's URL, or null when there is none. */
    webhook_url: nullableString,
    webhook_urls: z.array(z.string()),
    ...AddressFields,
    default_currency: z.string(),
    email: nullableString,
    legal_name: nullableString,
    legal_number: nullableString,
    document_numbering: z.literal('per_customer'),
    document_number_prefix: z.string(),
    net_payment_term: z.number().int(),
    tax_identification_number: nullableString,
    timezone: z.string(),
    email_settings: z.array(z.string()),
    finalize_zero_amount_invoice: z.boolean(),
    billing_configuration: z.object({
      invoice_footer: nullableString,
      invoice_grace_period: z.number().int(),
      document_locale: z.string(),
    }),
    taxes: emptyList,
  })
  .meta({ id: 'OrganizationObject' });
export type LagoOrganization = z.output<typeof OrganizationSchema>;

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Webhook URLs in Lago's endpoint order (`webhook_url ASC`). */
export function serializeOrganization(
  organization: Organization,
  refs: { readonly webhookUrls: readonly string[] },
): LagoOrganization {
  return {
    lago_id: organization.id,
    name: organization.name,
    slug: slugOf(organization.name),
    created_at: isoSeconds(organization.createdAt),
    webhook_url: refs.webhookUrls[0] ?? null,
    webhook_urls: [...refs.webhookUrls],
    country: null,
    default_currency: 'USD',
    address_line1: null,
    address_line2: null,
    state: null,
    zipcode: null,
    email: null,
    city: null,
    legal_name: null,
    legal_number: null,
    document_numbering: 'per_customer',
    document_number_prefix: organization.documentNumberPrefix,
    net_payment_term: 0,
    tax_identification_number: null,
    timezone: 'UTC',
    email_settings: [],
    finalize_zero_amount_invoice: true,
    billing_configuration: { invoice_footer: null, invoice_grace_period: 0, document_locale: 'en' },
    taxes: [],
  };
}

/** `organization` of `PUT /organizations`: only the webhook URL is applied. */
export const OrganizationUpdateInput = z
  .object({ webhook_url: webhookUrl.optional() })
  .meta({
    id: 'OrganizationUpdateInput',
    description:
      'Only `webhook_url` is applied (it sets the first webhook endpoint, refused as on `POST /webhook_endpoints`); other Lago fields are ignored.',
  })
  .transform((body) => ({ webhookUrl: body.webhook_url }));
