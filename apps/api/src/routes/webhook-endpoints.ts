import { z } from '@hono/zod-openapi';
import {
  notFoundBody,
  paginationMeta,
  serializeWebhookEndpoint,
  validationErrors,
  WebhookEndpointCreateInput,
  type WebhookEndpointRecord,
  WebhookEndpointSchema,
  WebhookEndpointUpdateInput,
} from '@payrail/lago-wire';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route } from '../http/route.js';
import { parseEnvelope } from '../http/validation.js';
import type { WebhookEndpointWrite } from '../ports/webhook-endpoints.js';
import {
  errorResponses,
  jsonBodyDoc,
  jsonContent,
  lagoIdParam,
  PaginationQuery,
  pageOf,
  paginated,
  security,
  single,
} from '../schemas/common.js';

const tags = ['Webhook endpoints'];
const IdParam = z.object({ lago_id: z.uuid() });

/**
 * A URL whose host is, names or resolves to loopback, a private network, link-local or a metadata
 * service is `url_is_invalid` (unless the deployment allows loopback or private targets), before
 * anything is stored. Decision 0800.
 */
export async function refuseForbiddenTarget(deps: ApiDeps, url: string): Promise<void> {
  if (!(await deps.webhookTargets.allows(url))) {
    throw new ApiError(validationErrors({ webhook_url: ['url_is_invalid'] }));
  }
}

const TARGET_RULE =
  'A URL whose host is, or resolves to, a loopback, private, link-local or cloud metadata address is refused with `url_is_invalid` (loopback and private ranges only where the deployment allows them).';

export function endpointOrThrow(result: WebhookEndpointWrite): WebhookEndpointRecord {
  if (result.ok) return result.endpoint;
  switch (result.reason) {
    case 'url_taken':
      throw new ApiError(validationErrors({ webhook_url: ['value_already_exist'] }));
    case 'limit_reached':
      throw new ApiError(validationErrors({ base: ['exceeded_limit'] }));
    case 'not_found':
      throw new ApiError(notFoundBody('webhook_endpoint_not_found'));
  }
}

const envelope = single('webhook_endpoint', WebhookEndpointSchema);

export function webhookEndpointRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/webhook_endpoints',
        operationId: 'createWebhookEndpoint',
        tags,
        security,
        summary: 'Create a webhook endpoint',
        description: TARGET_RULE,
        request: { body: jsonBodyDoc(z.object({ webhook_endpoint: WebhookEndpointCreateInput })) },
        responses: { 200: jsonContent(envelope, 'The endpoint'), ...errorResponses(400, 422) },
      },
      async (c) => {
        const body = parseEnvelope(c.get('rawBody'), 'webhook_endpoint', WebhookEndpointCreateInput);
        await refuseForbiddenTarget(deps, body.webhookUrl);
        const result = await deps.webhookEndpoints.create(c.get('organizationId'), body);
        return c.json({ webhook_endpoint: serializeWebhookEndpoint(endpointOrThrow(result)) });
      },
    ),
    route(
      {
        method: 'get',
        path: '/webhook_endpoints',
        operationId: 'findAllWebhookEndpoints',
        tags,
        security,
        summary: 'List webhook endpoints',
        request: { query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('webhook_endpoints', WebhookEndpointSchema), 'Endpoints'),
          ...errorResponses(),
        },
      },
      async (c) => {
        const page = pageOf(c.req.url);
        const result = await deps.webhookEndpoints.list(c.get('organizationId'), page);
        return c.json({
          webhook_endpoints: result.items.map(serializeWebhookEndpoint),
          meta: paginationMeta(page, result.totalCount),
        });
      },
    ),
    route(
      {
        method: 'get',
        path: '/webhook_endpoints/{lago_id}',
        operationId: 'findWebhookEndpoint',
        tags,
        security,
        summary: 'Retrieve a webhook endpoint',
        request: { params: IdParam },
        responses: { 200: jsonContent(envelope, 'The endpoint'), ...errorResponses(404) },
      },
      async (c) => {
        const id = lagoIdParam(c.req.param('lago_id'), 'webhook_endpoint');
        const endpoint = await deps.webhookEndpoints.find(c.get('organizationId'), id);
        if (!endpoint) throw new ApiError(notFoundBody('webhook_endpoint_not_found'));
        return c.json({ webhook_endpoint: serializeWebhookEndpoint(endpoint) });
      },
    ),
    route(
      {
        method: 'put',
        path: '/webhook_endpoints/{lago_id}',
        operationId: 'updateWebhookEndpoint',
        tags,
        security,
        summary: 'Update a webhook endpoint',
        description: TARGET_RULE,
        request: {
          params: IdParam,
          body: jsonBodyDoc(z.object({ webhook_endpoint: WebhookEndpointUpdateInput })),
        },
        responses: { 200: jsonContent(envelope, 'The endpoint'), ...errorResponses(400, 404, 422) },
      },
      async (c) => {
        const id = lagoIdParam(c.req.param('lago_id'), 'webhook_endpoint');
        const body = parseEnvelope(c.get('rawBody'), 'webhook_endpoint', WebhookEndpointUpdateInput);
        if (body.webhookUrl !== undefined) await refuseForbiddenTarget(deps, body.webhookUrl);
        const result = await deps.webhookEndpoints.update(c.get('organizationId'), id, body);
        return c.json({ webhook_endpoint: serializeWebhookEndpoint(endpointOrThrow(result)) });
      },
    ),
    route(
      {
        method: 'delete',
        path: '/webhook_endpoints/{lago_id}',
        operationId: 'destroyWebhookEndpoint',
        tags,
        security,
        summary: 'Delete a webhook endpoint',
        request: { params: IdParam },
        responses: { 200: jsonContent(envelope, 'The deleted endpoint'), ...errorResponses(404) },
      },
      async (c) => {
        const id = lagoIdParam(c.req.param('lago_id'), 'webhook_endpoint');
        const endpoint = await deps.webhookEndpoints.delete(c.get('organizationId'), id);
        if (!endpoint) throw new ApiError(notFoundBody('webhook_endpoint_not_found'));
        return c.json({ webhook_endpoint: serializeWebhookEndpoint(endpoint) });
      },
    ),
  ];
}
