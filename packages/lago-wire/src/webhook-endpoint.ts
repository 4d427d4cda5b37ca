import { z } from 'zod';
import { nullableString, timestamp } from './schema.js';
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

export const WebhookEndpointSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_organization_id: z.uuid(),
    webhook_url: z.string(),
    signature_algo: z.enum(['jwt', 'hmac']),
    name: nullableString,
    event_types: z.array(z.string()).nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'WebhookEndpointObject' });
export type LagoWebhookEndpoint = z.output<typeof WebhookEndpointSchema>;

export function serializeWebhookEndpoint(endpoint: WebhookEndpointRecord): LagoWebhookEndpoint {
  return {
    lago_id: endpoint.id,
    lago_organization_id: endpoint.organizationId,
    webhook_url: endpoint.webhookUrl,
    signature_algo: endpoint.signatureAlgo,
    name: endpoint.name,
    event_types: endpoint.eventTypes === null ? null : [...endpoint.eventTypes],
    created_at: isoSeconds(endpoint.createdAt),
  };
}
