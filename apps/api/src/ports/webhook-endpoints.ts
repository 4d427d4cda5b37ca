import type { SignatureAlgo, WebhookEndpointRecord } from '@payrail/lago-wire';

export interface WebhookEndpointFields {
  readonly webhookUrl: string;
  readonly signatureAlgo: SignatureAlgo;
  readonly name: string | null;
  readonly eventTypes: readonly string[] | null;
}

export type WebhookEndpointWrite =
  | { readonly ok: true; readonly endpoint: WebhookEndpointRecord }
  | { readonly ok: false; readonly reason: 'url_taken' | 'limit_reached' | 'not_found' };

/** Where outgoing webhooks go. At most `limit` per organization, unique URL per organization. */
export interface WebhookEndpointStore {
  list(
    organizationId: string,
    page: { readonly page: number; readonly perPage: number },
  ): Promise<{ readonly items: readonly WebhookEndpointRecord[]; readonly totalCount: number }>;
  find(organizationId: string, id: string): Promise<WebhookEndpointRecord | null>;
  create(organizationId: string, fields: WebhookEndpointFields, limit: number): Promise<WebhookEndpointWrite>;
  update(
    organizationId: string,
    id: string,
    fields: Partial<WebhookEndpointFields>,
  ): Promise<WebhookEndpointWrite>;
  delete(organizationId: string, id: string): Promise<WebhookEndpointRecord | null>;
  /** `PUT /organizations {webhook_url}`: set the first endpoint's URL, creating it when there is none. */
  upsertFirst(organizationId: string, webhookUrl: string, limit: number): Promise<WebhookEndpointWrite>;
}

/**
 * Whether outgoing webhooks may be sent to a URL (decision 0800): false when its host is, names or
 * resolves to an address the deployment refuses (loopback and private ranges unless allowed;
 * link-local and cloud metadata always). A name that does not resolve is allowed here: the worker
 * checks again, and refuses, at every send.
 */
export interface WebhookTargetPolicy {
  allows(url: string): Promise<boolean>;
}
