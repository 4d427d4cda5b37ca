import { z } from '@hono/zod-openapi';
import {
  DELIVERY_FAILURES,
  type DeliveryFailure,
  isoSeconds,
  notFoundBody,
  paginationMeta,
} from '@payrail/lago-wire';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route } from '../http/route.js';
import { parseQuery } from '../http/validation.js';
import type { WebhookDeliveryRecord } from '../ports/webhook-deliveries.js';
import {
  booleanString,
  errorResponses,
  isUuid,
  jsonContent,
  lagoIdParam,
  PaginationQuery,
  pageOf,
  security,
} from '../schemas/common.js';
import { paginated } from '../schemas/wire.js';

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

const DeliverySchema = z
  .object({
    lago_id: z.uuid(),
    lago_webhook_id: z.uuid().openapi({ description: 'The event; sent as `X-Lago-Unique-Key`' }),
    webhook_type: z.string(),
    object_type: z.string(),
    lago_webhook_endpoint_id: z.uuid(),
    webhook_url: z.string().nullable(),
    attempt: z.number().int(),
    succeeded: z.boolean(),
    http_status: z.number().int().nullable(),
    response_excerpt: z
      .null()
      .openapi({ description: "Always null: nothing of the receiver's reply is kept but its status" }),
    error: z.enum(DELIVERY_FAILURES).nullable().openapi({
      description:
        'Why no HTTP status came back: `refused_target` (the URL is, or resolves to, an address outgoing webhooks may not reach), `timeout`, `connection_failed` (including a name that does not resolve), `cancelled` (the worker stopped mid-attempt)',
    }),
    duration_ms: z.number().int(),
    attempted_at: z.string(),
  })
  .openapi('WebhookDeliveryObject');

const RedeliverySchema = z
  .object({
    lago_id: z.uuid(),
    webhook_type: z.string(),
    object_type: z.string(),
    status: z.literal('pending'),
    redelivery_requested_at: z.string(),
  })
  .openapi('WebhookRedeliveryObject');

const Query = z.object({
  webhook_endpoint_id: z.string().max(64).optional(),
  webhook_id: z.string().max(64).optional(),
  webhook_type: z.string().max(128).optional(),
  succeeded: booleanString.optional(),
});

function serialize(d: WebhookDeliveryRecord) {
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

export function webhookDeliveryRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'get',
        path: '/webhook_deliveries',
        operationId: 'findAllWebhookDeliveries',
        tags: ['Webhook endpoints'],
        security,
        summary: 'Delivery attempts of outgoing webhooks (Payrail extension)',
        description:
          'Every attempt the worker made, newest first, with the receiver’s HTTP status, or why none came back.',
        request: { query: PaginationQuery.extend(Query.shape) },
        responses: {
          200: jsonContent(paginated('webhook_deliveries', DeliverySchema), 'Attempts'),
          ...errorResponses(422),
        },
      },
      async (c) => {
        const q = parseQuery(c.req.url, Query);
        const page = pageOf(c.req.url);
        const ids = [q.webhook_endpoint_id, q.webhook_id].filter((v) => v !== undefined);
        if (ids.some((id) => !isUuid(id))) {
          return c.json({ webhook_deliveries: [], meta: paginationMeta(page, 0) });
        }
        const result = await deps.webhookDeliveries.list(
          c.get('organizationId'),
          {
            ...(q.webhook_endpoint_id !== undefined
              ? { endpointId: q.webhook_endpoint_id.toLowerCase() }
              : {}),
            ...(q.webhook_id !== undefined ? { eventId: q.webhook_id.toLowerCase() } : {}),
            ...(q.webhook_type !== undefined ? { webhookType: q.webhook_type } : {}),
            ...(q.succeeded !== undefined ? { succeeded: q.succeeded } : {}),
          },
          page,
        );
        return c.json({
          webhook_deliveries: result.items.map(serialize),
          meta: paginationMeta(page, result.totalCount),
        });
      },
    ),
    route(
      {
        method: 'post',
        path: '/webhooks/{lago_id}/retry',
        operationId: 'retryWebhook',
        tags: ['Webhook endpoints'],
        security,
        summary: 'Send an outgoing webhook again (Payrail extension)',
        description:
          'Queues the event (`lago_webhook_id` of a delivery, sent as `X-Lago-Unique-Key` per endpoint) for every endpoint it matches, succeeded ones included, each with a fresh set of attempts. The body is rendered from the current objects, as on every attempt. 404 for an event of another organization.',
        request: { params: z.object({ lago_id: z.uuid() }) },
        responses: {
          200: jsonContent(z.object({ webhook: RedeliverySchema }), 'Queued'),
          ...errorResponses(404),
        },
      },
      async (c, ctx) => {
        const id = lagoIdParam(c.req.param('lago_id'), 'webhook');
        const requestedAt = ctx.clock.now();
        const queued = await deps.webhookRedelivery.redeliver(c.get('organizationId'), id, requestedAt);
        if (!queued) throw new ApiError(notFoundBody('webhook_not_found'));
        return c.json({
          webhook: {
            lago_id: id,
            webhook_type: queued.webhookType,
            object_type: queued.objectType,
            status: 'pending' as const,
            redelivery_requested_at: isoSeconds(requestedAt),
          },
        });
      },
    ),
  ];
}
