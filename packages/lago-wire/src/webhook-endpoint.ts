import { isoSeconds } from './time.js';

export type SignatureAlgo = 'jwt' | 'hmac';

/** Where an organization receives outgoing webhooks; stored by persistence, shown by the API. */
export interface WebhookEndpointRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly webhookUrl: string;
  readonly signatureAlgo: SignatureAlgo;
  readonly name: string | null;
  /** Null: every event type. */
  readonly eventTypes: readonly string[] | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface LagoWebhookEndpoint {
  readonly lago_id: string;
  readonly lago_organization_id: string;
  readonly webhook_url: string;
  readonly signature_algo: SignatureAlgo;
  readonly name: string | null;
  readonly event_types: readonly string[] | null;
  readonly created_at: string;
}

export function serializeWebhookEndpoint(endpoint: WebhookEndpointRecord): LagoWebhookEndpoint {
  return {
    lago_id: endpoint.id,
    lago_organization_id: endpoint.organizationId,
    webhook_url: endpoint.webhookUrl,
    signature_algo: endpoint.signatureAlgo,
    name: endpoint.name,
    event_types: endpoint.eventTypes,
    created_at: isoSeconds(endpoint.createdAt),
  };
}
