import type { Organization } from '@payrail/domain';
import { isoSeconds } from './time.js';

export interface LagoOrganization {
  readonly lago_id: string;
  readonly name: string;
  readonly slug: string;
  readonly created_at: string;
  /** The first endpoint's URL, or null when there is none. */
  readonly webhook_url: string | null;
  readonly webhook_urls: readonly string[];
  readonly country: null;
  readonly default_currency: string;
  readonly address_line1: null;
  readonly address_line2: null;
  readonly state: null;
  readonly zipcode: null;
  readonly email: null;
  readonly city: null;
  readonly legal_name: null;
  readonly legal_number: null;
  readonly document_numbering: 'per_customer';
  readonly document_number_prefix: string;
  readonly net_payment_term: number;
  readonly tax_identification_number: null;
  readonly timezone: 'UTC';
  readonly email_settings: readonly string[];
  readonly finalize_zero_amount_invoice: boolean;
  readonly billing_configuration: {
    readonly invoice_footer: null;
    readonly invoice_grace_period: number;
    readonly document_locale: string;
  };
  readonly taxes: readonly unknown[];
}

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
    webhook_urls: refs.webhookUrls,
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
