import { z } from 'zod';
import { booleanString } from './schema.js';
import { isoSeconds } from './time.js';
import { DELIVERY_FAILURES, type DeliveryFailure } from './webhooks/delivery.js';

/** One attempt to deliver an outgoing webhook to one endpoint, as the worker recorded it. */
export interface WebhookDeliveryAttempt {
  readonly id: string;
  readonly eventId: string;
  readonly webhookType: string;
  readonly objectType: string;
  readonly endpointId: string;
  readonly webhookUrl: string | null;
  readonly attempt: number;
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  /** As recorded: a failure category, or a socket error's text on rows older than those. */
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
}

/** Payrail's extension: an attempt of `GET /webhook_deliveries`. */
export const WebhookDeliverySchema = z
  .object({
    lago_id: z.uuid(),
    lago_webhook_id: z.uuid().meta({ description: 'The event; sent as `X-Lago-Unique-Key`' }),
    webhook_type: z.string(),
    object_type: z.string(),
    lago_webhook_endpoint_id: z.uuid(),
    webhook_url: z.string().nullable(),
    attempt: z.number().int(),
    succeeded: z.boolean(),
    http_status: z.number().int().nullable(),
    response_excerpt: z
      .null()
      .meta({ description: "Always null: nothing of the receiver's reply is kept but its status" }),
    error: z.enum(DELIVERY_FAILURES).nullable().meta({
      description:
        'Why no HTTP status came back: `refused_target` (the URL is, or resolves to, an address outgoing webhooks may not reach), `timeout`, `connection_failed` (including a name that does not resolve), `cancelled` (the worker stopped mid-attempt)',
    }),
    duration_ms: z.number().int(),
    attempted_at: z.string(),
  })
  .meta({ id: 'WebhookDeliveryObject' });
export type LagoWebhookDelivery = z.output<typeof WebhookDeliverySchema>;

/**
 * Rows recorded before the worker kept only these words may hold a socket error's text (addresses,
 * ports): those are shown as their category.
 */
function deliveryFailure(error: string | null): DeliveryFailure | null {
  if (error === null) return null;
  const known = DELIVERY_FAILURES.find((f) => f === error);
  if (known) return known;
  return error.startsWith('timeout') ? 'timeout' : 'connection_failed';
}

export function serializeWebhookDelivery(d: WebhookDeliveryAttempt): LagoWebhookDelivery {
  return {
    lago_id: d.id,
    lago_webhook_id: d.eventId,
    webhook_type: d.webhookType,
    object_type: d.objectType,
    lago_webhook_endpoint_id: d.endpointId,
    webhook_url: d.webhookUrl,
    attempt: d.attempt,
    succeeded: d.succeeded,
    http_status: d.httpStatus,
    response_excerpt: null,
    error: deliveryFailure(d.error),
    duration_ms: d.durationMs,
    attempted_at: isoSeconds(d.attemptedAt),
  };
}

/** Payrail's extension: `POST /webhooks/{id}/retry`'s answer. */
export const WebhookRedeliverySchema = z
  .object({
    lago_id: z.uuid(),
    webhook_type: z.string(),
    object_type: z.string(),
    status: z.literal('pending'),
    redelivery_requested_at: z.string(),
  })
  .meta({ id: 'WebhookRedeliveryObject' });
export type LagoWebhookRedelivery = z.output<typeof WebhookRedeliverySchema>;

export function serializeWebhookRedelivery(redelivery: {
  readonly eventId: string;
  readonly webhookType: string;
  readonly objectType: string;
  readonly requestedAt: Date;
}): LagoWebhookRedelivery {
  return {
    lago_id: redelivery.eventId,
    webhook_type: redelivery.webhookType,
    object_type: redelivery.objectType,
    status: 'pending',
    redelivery_requested_at: isoSeconds(redelivery.requestedAt),
  };
}

/**
 * `GET /webhook_deliveries`'s filters, as the delivery log takes them; the ids as sent (lower
 * case), the API answers one that is not a UUID with an empty list.
 */
export const WebhookDeliveryListQuery = z
  .object({
    webhook_endpoint_id: z.string().max(64).optional(),
    webhook_id: z.string().max(64).optional(),
    webhook_type: z.string().max(128).optional(),
    succeeded: booleanString.optional(),
  })
  .transform((q) => ({
    endpointId: q.webhook_endpoint_id?.toLowerCase(),
    eventId: q.webhook_id?.toLowerCase(),
    webhookType: q.webhook_type,
    succeeded: q.succeeded,
  }));
