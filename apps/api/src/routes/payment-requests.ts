import { z } from '@hono/zod-openapi';
import { createPaymentRequest, notFound, type PaymentRequest } from '@payrail/domain';
import {
  type LagoPaymentRequest,
  PaymentRequestCreateInput,
  PaymentRequestListQuery,
  PaymentRequestSchema,
  serializePaymentRequest,
} from '@payrail/lago-wire';
import type { ReadTx } from '@payrail/persistence';
import type { Context } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route, writtenId } from '../http/route.js';
import type { ApiEnv } from '../http/types.js';
import { runUseCase } from '../http/use-case.js';
import { parseEnvelope, parseQuery } from '../http/validation.js';
import {
  errorResponses,
  isUuid,
  jsonBodyDoc,
  jsonContent,
  lagoIdParam,
  PaginationQuery,
  paginated,
  security,
  single,
} from '../schemas/common.js';
import { type ListScope, renderList } from '../views/list-page.js';
import { type Renderer, withRenderer } from '../views/renderer.js';

const tags = ['Payment requests'];

async function renderRequest(
  tx: ReadTx,
  render: Renderer,
  request: PaymentRequest,
): Promise<LagoPaymentRequest> {
  const customer = await render.customer(await render.customerById(request.customerId));
  const invoices = await tx.invoices.findByIds(request.items.map((item) => item.invoiceId));
  return serializePaymentRequest(request, {
    customer,
    invoices,
    documentNumberPrefix: await render.documentPrefix(),
  });
}

/** Shared by the organization-wide list and the customer-scoped one. */
export function listPaymentRequests(deps: ApiDeps, c: Context<ApiEnv>, scope: ListScope): Promise<Response> {
  return renderList(deps, c, scope, {
    key: 'payment_requests',
    filter: (url) => parseQuery(url, PaymentRequestListQuery),
    load: (organizationId, filter, page) => deps.lists.paymentRequests(organizationId, filter, page),
    render: (request, render, tx) => renderRequest(tx, render, request),
  });
}

export function paymentRequestRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/payment_requests',
        operationId: 'createPaymentRequest',
        tags,
        security,
        summary: 'Collect overdue invoices as one payment',
        description:
          "Several overdue invoices of one customer (finalized, not paid, something due, no lost dispute) become one request for the sum of what is due, in their one currency; `payment_request.created` fires and one Stripe charge follows. When it settles every invoice succeeds or fails with it (`invoice.payment_status_updated` each, `payment_request.payment_status_updated`, and `payment_request.payment_failure` on failure). 404 `customer_not_found`, `invoice_not_found` (an id that is not one of the customer's invoices); 405 `invoices_not_overdue`, `invoices_not_ready_for_payment_processing` (a payment in flight), `invoices_have_different_currencies`.",
        request: { body: jsonBodyDoc(z.object({ payment_request: PaymentRequestCreateInput })) },
        responses: {
          200: jsonContent(single('payment_request', PaymentRequestSchema), 'The payment request'),
          ...errorResponses(400, 404, 405, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const body = parseEnvelope(c.get('rawBody'), 'payment_request', PaymentRequestCreateInput);
        if (!body.invoiceIds.every(isUuid)) throw ApiError.fromDomain(notFound('invoice'));
        const request = await runUseCase(createPaymentRequest, ctx, { organizationId, ...body });
        const wire = await withRenderer(deps.reads, c, (tx, render) => renderRequest(tx, render, request));
        return c.json({ payment_request: wire });
      },
      async (c, written) => {
        const id = writtenId(written, 'paymentRequests');
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const request = await tx.paymentRequests.findById(id);
          if (!request) throw ApiError.fromDomain(notFound('payment_request'));
          return renderRequest(tx, render, request);
        });
        return c.json({ payment_request: wire });
      },
    ),
    route(
      {
        method: 'get',
        path: '/payment_requests',
        operationId: 'findAllPaymentRequests',
        tags,
        security,
        summary: 'List payment requests',
        description: 'Newest first. Payrail has no billing entities: `billing_entity_codes[]` is ignored.',
        request: { query: PaginationQuery.extend(PaymentRequestListQuery.in.shape) },
        responses: {
          200: jsonContent(paginated('payment_requests', PaymentRequestSchema), 'Payment requests'),
          ...errorResponses(422),
        },
      },
      (c) => listPaymentRequests(deps, c, {}),
    ),
    route(
      {
        method: 'get',
        path: '/payment_requests/{lago_id}',
        operationId: 'findPaymentRequest',
        tags,
        security,
        summary: 'Retrieve a payment request',
        description:
          'Wrapped in `{payment_request: …}` as lago-api sends it (the 1.53 client types say unwrapped).',
        request: { params: z.object({ lago_id: z.uuid() }) },
        responses: {
          200: jsonContent(single('payment_request', PaymentRequestSchema), 'The payment request'),
          ...errorResponses(404),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const id = lagoIdParam(c.req.param('lago_id'), 'payment_request');
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const request = await tx.paymentRequests.findById(id);
          if (!request || request.organizationId !== organizationId) {
            throw ApiError.fromDomain(notFound('payment_request'));
          }
          return renderRequest(tx, render, request);
        });
        return c.json({ payment_request: wire });
      },
    ),
  ];
}
