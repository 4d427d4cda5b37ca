import { z } from '@hono/zod-openapi';
import {
  connectStripe,
  type DomainError,
  deleteStripeConnection,
  notFound,
  updateStripeConnection,
} from '@payrail/domain';
import {
  paginationMeta,
  StripeConnectionCreateInput,
  StripeConnectionSchema,
  StripeConnectionUpdateInput,
  serializeStripeConnection,
} from '@payrail/lago-wire';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route, writtenId } from '../http/route.js';
import { runUseCase } from '../http/use-case.js';
import { parseEnvelope } from '../http/validation.js';
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

const tags = ['Stripe connections'];
const IdParam = z.object({ lago_id: z.uuid() });
/**
 * Payrail's own resource: the message Stripe gave for a rejected key is worth showing, so the
 * 422 adds it next to Lago's `error_details`.
 */
function withMessage(error: DomainError) {
  return error.kind === 'validation' && error.details.secret_key ? { message: error.message } : undefined;
}

export function stripeConnectionRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/stripe_connections',
        operationId: 'createStripeConnection',
        tags,
        security,
        summary: 'Connect a Stripe account',
        description:
          "Confirms the secret key by registering Payrail's webhook endpoint on the account. A key Stripe rejects gives 422 with Stripe's message and stores nothing. The key is never returned.",
        request: { body: jsonBodyDoc(z.object({ stripe_connection: StripeConnectionCreateInput })) },
        responses: {
          200: jsonContent(single('stripe_connection', StripeConnectionSchema), 'The connection'),
          ...errorResponses(400, 422, 429),
        },
      },
      async (c, ctx) => {
        const body = parseEnvelope(c.get('rawBody'), 'stripe_connection', StripeConnectionCreateInput);
        const connection = await runUseCase(
          connectStripe,
          ctx,
          { organizationId: c.get('organizationId'), ...body },
          withMessage,
        );
        return c.json({ stripe_connection: serializeStripeConnection(connection) });
      },
      async (c, written) => {
        const id = writtenId(written, 'stripeConnections');
        const connection = await deps.reads.read(c.get('organizationId'), (tx) =>
          tx.stripeConnections.findById(id),
        );
        if (!connection) throw ApiError.fromDomain(notFound('stripe_connection'));
        return c.json({ stripe_connection: serializeStripeConnection(connection) });
      },
    ),
    route(
      {
        method: 'get',
        path: '/stripe_connections',
        operationId: 'findAllStripeConnections',
        tags,
        security,
        summary: 'List Stripe connections',
        request: { query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('stripe_connections', StripeConnectionSchema), 'Connections'),
          ...errorResponses(),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const page = pageOf(c.req.url);
        const all = await deps.reads.read(organizationId, (tx) =>
          tx.stripeConnections.listByOrganization(organizationId),
        );
        const sorted = [...all].sort(
          (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id),
        );
        const slice = sorted.slice((page.page - 1) * page.perPage, page.page * page.perPage);
        return c.json({
          stripe_connections: slice.map(serializeStripeConnection),
          meta: paginationMeta(page, sorted.length),
        });
      },
    ),
    route(
      {
        method: 'get',
        path: '/stripe_connections/{lago_id}',
        operationId: 'findStripeConnection',
        tags,
        security,
        summary: 'Retrieve a Stripe connection',
        request: { params: IdParam },
        responses: {
          200: jsonContent(single('stripe_connection', StripeConnectionSchema), 'The connection'),
          ...errorResponses(404),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const id = lagoIdParam(c.req.param('lago_id'), 'stripe_connection');
        const connection = await deps.reads.read(organizationId, (tx) => tx.stripeConnections.findById(id));
        if (!connection || connection.organizationId !== organizationId) {
          throw ApiError.fromDomain(notFound('stripe_connection'));
        }
        return c.json({ stripe_connection: serializeStripeConnection(connection) });
      },
    ),
    route(
      {
        method: 'put',
        path: '/stripe_connections/{lago_id}',
        operationId: 'updateStripeConnection',
        tags,
        security,
        summary: 'Update a Stripe connection',
        description:
          'Name, code and success URL. The secret key cannot change: connect a new account instead.',
        request: {
          params: IdParam,
          body: jsonBodyDoc(z.object({ stripe_connection: StripeConnectionUpdateInput })),
        },
        responses: {
          200: jsonContent(single('stripe_connection', StripeConnectionSchema), 'The connection'),
          ...errorResponses(400, 404, 422),
        },
      },
      async (c, ctx) => {
        const connectionId = lagoIdParam(c.req.param('lago_id'), 'stripe_connection');
        const body = parseEnvelope(c.get('rawBody'), 'stripe_connection', StripeConnectionUpdateInput);
        const connection = await runUseCase(updateStripeConnection, ctx, {
          organizationId: c.get('organizationId'),
          connectionId,
          ...body,
        });
        return c.json({ stripe_connection: serializeStripeConnection(connection) });
      },
    ),
    route(
      {
        method: 'delete',
        path: '/stripe_connections/{lago_id}',
        operationId: 'destroyStripeConnection',
        tags,
        security,
        summary: 'Delete a Stripe connection',
        description:
          'Customers linked through it are unlinked. Refused with 405 `payment_processor_is_currently_handling_payment` while a payment through it is still out at Stripe, and with 405 `stripe_connection_in_use` once a payment went through it (payments keep their connection). The payment methods saved on it are deleted with it.',
        request: { params: IdParam },
        responses: {
          200: jsonContent(single('stripe_connection', StripeConnectionSchema), 'The deleted connection'),
          ...errorResponses(404, 405),
        },
      },
      async (c, ctx) => {
        const connectionId = lagoIdParam(c.req.param('lago_id'), 'stripe_connection');
        const connection = await runUseCase(deleteStripeConnection, ctx, {
          organizationId: c.get('organizationId'),
          connectionId,
        });
        return c.json({ stripe_connection: serializeStripeConnection(connection) });
      },
    ),
  ];
}
