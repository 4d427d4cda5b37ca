import { EVENT_TYPES } from '@payrail/domain';
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

/** What a webhook endpoint is created with, as the endpoint store takes it. */
export type WebhookEndpointFields = Pick<
  WebhookEndpointRecord,
  'webhookUrl' | 'signatureAlgo' | 'name' | 'eventTypes'
>;

/** An absolute http(s) URL with a host; where it may point is the API's check (decision 0800). */
export function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const webhookUrl = z.string().max(2048).refine(isWebhookUrl, 'url_is_invalid');

const KNOWN_EVENTS = new Set<string>(EVENT_TYPES);

const fields = {
  webhook_url: webhookUrl,
  signature_algo: z.enum(['jwt', 'hmac']).optional(),
  name: z.string().max(255).nullable().optional(),
  event_types: z
    .array(
      z
        .string()
        .max(128)
        .refine((t) => t === '*' || KNOWN_EVENTS.has(t), 'value_is_invalid'),
    )
    .max(100)
    .nullable()
    .optional(),
};

/** `["*"]` is Lago's other spelling of "every event" (null); a repeated type counts once. */
function eventTypes(value: readonly string[] | null | undefined): readonly string[] | null | undefined {
  if (value === undefined || value === null) return value;
  return value.includes('*') ? null : [...new Set(value)];
}

/** `webhook_endpoint` of `POST /webhook_endpoints`: JWT-signed and for every event unless told. */
export const WebhookEndpointCreateInput = z
  .object(fields)
  .meta({ id: 'WebhookEndpointCreateInput' })
  .transform(
    (body): WebhookEndpointFields => ({
      webhookUrl: body.webhook_url,
      signatureAlgo: body.signature_algo ?? 'jwt',
      name: body.name ?? null,
      eventTypes: eventTypes(body.event_types) ?? null,
    }),
  );

/** `webhook_endpoint` of `PUT /webhook_endpoints/{id}`: only the keys sent change. */
export const WebhookEndpointUpdateInput = z
  .object({ ...fields, webhook_url: fields.webhook_url.optional() })
  .meta({ id: 'WebhookEndpointUpdateInput' })
  .transform(
    (body): Partial<WebhookEndpointFields> => ({
      webhookUrl: body.webhook_url,
      signatureAlgo: body.signature_algo,
      name: body.name,
      eventTypes: eventTypes(body.event_types),
    }),
  );
