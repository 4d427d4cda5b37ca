import type { WebhookEndpointStore as PersistedEndpoints } from '@payrail/persistence';

export type { WebhookEndpointFields, WebhookEndpointWrite } from '@payrail/persistence';

/**
 * Where outgoing webhooks go: persistence's store, which keeps Lago's rules (at most ten per
 * organization, one per URL, listed by URL).
 */
export type WebhookEndpointStore = Pick<
  PersistedEndpoints,
  'list' | 'find' | 'create' | 'update' | 'delete' | 'upsertFirst'
>;

/**
 * Whether outgoing webhooks may be sent to a URL (decision 0800): false when its host is, names or
 * resolves to an address the deployment refuses (loopback and private ranges unless allowed;
 * link-local and cloud metadata always). A name that does not resolve is allowed here: the worker
 * checks again, and refuses, at every send.
 */
export interface WebhookTargetPolicy {
  allows(url: string): Promise<boolean>;
}
