import { z } from '@hono/zod-openapi';
import {
  notFoundBody,
  paginationMeta,
  serializeWebhookDelivery,
  serializeWebhookRedelivery,
  WebhookDeliveryListQuery,
  WebhookDeliverySchema,
  WebhookRedeliverySchema,
} from '@payrail/lago-wire';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route } from '../http/route.js';
import { parseQuery } from '../http/validation.js';
import {
  errorResponses,
  isUuid,
  jsonContent,
  lagoIdParam,
  PaginationQuery,
  pageOf,
  paginated,
  security,
} from '../schemas/common.js';

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
        request: { query: PaginationQuery.extend(WebhookDeliveryListQuery.in.shape) },
        responses: {
          200: jsonContent(paginated('webhook_deliveries', WebhookDeliverySchema), 'Attempts'),
          ...errorResponses(422),
        },
      },
      async (c) => {
        const filter = parseQuery(c.req.url, WebhookDeliveryListQuery);
        const page = pageOf(c.req.url);
        const ids = [filter.endpointId, filter.eventId].filter((v) => v !== undefined);
        if (ids.some((id) => !isUuid(id))) {
          return c.json({ webhook_deliveries: [], meta: paginationMeta(page, 0) });
        }
        const result = await deps.webhookDeliveries.list(c.get('organizationId'), filter, page);
        return c.json({
          webhook_deliveries: result.items.map(serializeWebhookDelivery),
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
          200: jsonContent(z.object({ webhook: WebhookRedeliverySchema }), 'Queued'),
          ...errorResponses(404),
        },
      },
      async (c, ctx) => {
        const id = lagoIdParam(c.req.param('lago_id'), 'webhook');
        const requestedAt = ctx.clock.now();
        const queued = await deps.webhookRedelivery.redeliver(c.get('organizationId'), id, requestedAt);
        if (!queued) throw new ApiError(notFoundBody('webhook_not_found'));
        return c.json({ webhook: serializeWebhookRedelivery({ eventId: id, requestedAt, ...queued }) });
      },
    ),
  ];
}
