import { z } from '@hono/zod-openapi';
import { createPaymentRequest, notFound, type PaymentRequest } from '@payrail/domain';
import {
  CustomerSchema,
  InvoiceSchema,
  type LagoPaymentRequest,
  paginationMeta,
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
  pageOf,
  security,
} from '../schemas/common.js';
import { paginated, single } from '../schemas/wire.js';
import { type Renderer, withRenderer } from '../views/renderer.js';

const tags = ['Payment requests'];

export const PaymentRequestSchema = z
  .looseObject({
    lago_id: z.uuid(),
    email: z.string().nullable(),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    payment_status: z.enum(['pending', 'succeeded', 'failed']),
    created_at: z.string(),
    customer: CustomerSchema,
    invoices: z.array(InvoiceSchema),
  })
  .openapi('PaymentRequestObject');

const PaymentRequestCreateInput = z
  .object({
    external_customer_id: z.string().min(1).max(255),
    email: z.string().max(255).nullable().optional().openapi({
      description: "Where the request goes; the customer's email when absent.",
    }),
    lago_invoice_ids: z.array(z.string().max(64)).min(1).max(100),
    payment_method: z
      .looseObject({ payment_method_type: z.string().optional(), payment_method_id: z.string().optional() })
      .nullable()
      .optional()
      .openapi({ description: "Accepted for Lago's 1.53 client; the customer's default method is charged." }),
  })
  .openapi('PaymentRequestCreateInput');

const PaymentRequestListQuery = z.object({
  external_customer_id: z.string().max(255).optional(),
  payment_status: z.enum(['pending', 'succeeded', 'failed']).optional(),
  currency: z.string().max(3).optional(),
});

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
export async function listPaymentRequests(
  deps: ApiDeps,
  c: Context<ApiEnv>,
  scope: { customerId?: string },
): Promise<Response> {
  const organizationId = c.get('organizationId');
  const query = parseQuery(c.req.url, PaymentRequestListQuery);
  const page = pageOf(c.req.url);
  const result = await deps.lists.paymentRequests(
    organizationId,
    {
      ...(query.external_customer_id !== undefined ? { externalCustomerId: query.external_customer_id } : {}),
      ...(query.payment_status !== undefined ? { paymentStatus: query.payment_status } : {}),
      ...(query.currency !== undefined ? { currency: query.currency } : {}),
      ...scope,
    },
    page,
  );
  const requests = await withRenderer(deps.reads, c, async (tx, render) => {
    await render.preloadCustomers(result.items.map((request) => request.customerId));
    const out = [];
    for (const request of result.items) out.push(await renderRequest(tx, render, request));
    return out;
  });
  return c.json({ payment_requests: requests, meta: paginationMeta(page, result.totalCount) });
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
        if (!body.lago_invoice_ids.every(isUuid)) throw ApiError.fromDomain(notFound('invoice'));
        const request = await runUseCase(createPaymentRequest, ctx, {
          organizationId,
          externalCustomerId: body.external_customer_id,
          email: body.email ?? null,
          invoiceIds: body.lago_invoice_ids.map((id) => id.toLowerCase()),
        });
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
        request: { query: PaginationQuery.extend(PaymentRequestListQuery.shape) },
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
