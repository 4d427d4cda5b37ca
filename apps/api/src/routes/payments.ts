import { z } from '@hono/zod-openapi';
import { notFound } from '@payrail/domain';
import { paginationMeta } from '@payrail/lago-wire';
import type { Context } from 'hono';
import { ApiError } from '../http/api-error.js';
import { route } from '../http/route.js';
import type { ApiEnv } from '../http/types.js';
import { parseQuery } from '../http/validation.js';
import {
  errorResponses,
  isUuid,
  jsonContent,
  lagoIdParam,
  PaginationQuery,
  pageOf,
  security,
} from '../schemas/common.js';
import { PaymentSchema, paginated, single } from '../schemas/wire.js';
import { withRenderer } from '../views/renderer.js';

const tags = ['Payments'];

const PaymentListQuery = z.object({
  external_customer_id: z.string().max(255).optional(),
  invoice_id: z.string().max(64).optional(),
});

/** Shared by the organization-wide list and the customer-scoped one. */
export async function listPayments(c: Context<ApiEnv>, scope: { customerId?: string }): Promise<Response> {
  const deps = c.get('deps');
  const organizationId = c.get('organizationId');
  const query = parseQuery(c.req.url, PaymentListQuery);
  const page = pageOf(c.req.url);
  if (query.invoice_id !== undefined && !isUuid(query.invoice_id)) {
    return c.json({ payments: [], meta: paginationMeta(page, 0) });
  }
  const result = await deps.lists.payments(
    organizationId,
    {
      ...(query.external_customer_id !== undefined ? { externalCustomerId: query.external_customer_id } : {}),
      ...(query.invoice_id !== undefined ? { invoiceId: query.invoice_id.toLowerCase() } : {}),
      ...scope,
    },
    page,
  );
  const payments = await withRenderer(deps.ctx.uow, organizationId, async (_tx, render) => {
    const out = [];
    for (const payment of result.items) out.push(await render.payment(payment));
    return out;
  });
  return c.json({ payments, meta: paginationMeta(page, result.totalCount) });
}

export const paymentRoutes = [
  route(
    {
      method: 'get',
      path: '/payments',
      tags,
      security,
      summary: 'List payments',
      request: { query: PaginationQuery.extend(PaymentListQuery.shape) },
      responses: {
        200: jsonContent(paginated('payments', PaymentSchema), 'Payments'),
        ...errorResponses(422),
      },
    },
    (c) => listPayments(c, {}),
  ),
  route(
    {
      method: 'get',
      path: '/payments/{lago_id}',
      tags,
      security,
      summary: 'Retrieve a payment',
      description: 'Wrapped in `{payment: …}` as lago-api sends it (the 1.53 client types say unwrapped).',
      request: { params: z.object({ lago_id: z.uuid() }) },
      responses: {
        200: jsonContent(single('payment', PaymentSchema), 'The payment'),
        ...errorResponses(404),
      },
    },
    async (c) => {
      const deps = c.get('deps');
      const organizationId = c.get('organizationId');
      const id = lagoIdParam(c.req.param('lago_id'), 'payment');
      const payment = await withRenderer(deps.ctx.uow, organizationId, async (tx, render) => {
        const found = await tx.payments.findById(id);
        if (!found || found.organizationId !== organizationId) throw ApiError.fromDomain(notFound('payment'));
        return render.payment(found);
      });
      return c.json({ payment });
    },
  ),
];
