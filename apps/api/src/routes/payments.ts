import { z } from '@hono/zod-openapi';
import { createManualPayment, notFound } from '@payrail/domain';
import { PaymentCreateInput, PaymentListQuery, PaymentSchema, paginationMeta } from '@payrail/lago-wire';
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
import { withRenderer } from '../views/renderer.js';

const tags = ['Payments'];

/** Shared by the organization-wide list and the customer-scoped one. */
export async function listPayments(
  deps: ApiDeps,
  c: Context<ApiEnv>,
  scope: { customerId?: string },
): Promise<Response> {
  const organizationId = c.get('organizationId');
  const filter = parseQuery(c.req.url, PaymentListQuery);
  const page = pageOf(c.req.url);
  if (filter.invoiceId !== undefined && !isUuid(filter.invoiceId)) {
    return c.json({ payments: [], meta: paginationMeta(page, 0) });
  }
  const result = await deps.lists.payments(organizationId, { ...filter, ...scope }, page);
  const payments = await withRenderer(deps.reads, c, async (_tx, render) => {
    await render.preloadCustomers(result.items.map((payment) => payment.customerId));
    const out = [];
    for (const payment of result.items) {
      out.push('status' in payment ? await render.payment(payment) : await render.manualPayment(payment));
    }
    return out;
  });
  return c.json({ payments, meta: paginationMeta(page, result.totalCount) });
}

export function paymentRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/payments',
        operationId: 'createPayment',
        tags,
        security,
        summary: 'Record a manual payment',
        description:
          'Money received outside Stripe, against one finalized invoice: `type: manual`, `payment_status: succeeded`. At most what is still due (422 `amount_cents: higher_than_remaining_invoice_amount`); the invoice becomes `succeeded` (and `invoice.payment_status_updated` fires) once nothing is due. 405 `invalid_status` (draft, voided or already paid), `payment_processor_is_currently_handling_payment` (a Stripe attempt in flight), `invoice_dispute_lost`.',
        request: { body: jsonBodyDoc(z.object({ payment: PaymentCreateInput })) },
        responses: {
          200: jsonContent(single('payment', PaymentSchema), 'The recorded payment'),
          ...errorResponses(400, 404, 405, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const body = parseEnvelope(c.get('rawBody'), 'payment', PaymentCreateInput);
        if (!isUuid(body.invoiceId)) throw ApiError.fromDomain(notFound('invoice'));
        const { payment } = await runUseCase(createManualPayment, ctx, { organizationId, ...body });
        const wire = await withRenderer(deps.reads, c, (_tx, render) => render.manualPayment(payment));
        return c.json({ payment: wire });
      },
      async (c, written) => {
        const id = writtenId(written, 'manualPayments');
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const payment = await tx.manualPayments.findById(id);
          if (!payment) throw ApiError.fromDomain(notFound('payment'));
          return render.manualPayment(payment);
        });
        return c.json({ payment: wire });
      },
    ),
    route(
      {
        method: 'get',
        path: '/payments',
        operationId: 'findAllPayments',
        tags,
        security,
        summary: 'List payments',
        request: { query: PaginationQuery.extend(PaymentListQuery.in.shape) },
        responses: {
          200: jsonContent(paginated('payments', PaymentSchema), 'Payments'),
          ...errorResponses(422),
        },
      },
      (c) => listPayments(deps, c, {}),
    ),
    route(
      {
        method: 'get',
        path: '/payments/{lago_id}',
        operationId: 'findPayment',
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
        const organizationId = c.get('organizationId');
        const id = lagoIdParam(c.req.param('lago_id'), 'payment');
        const payment = await withRenderer(deps.reads, c, async (tx, render) => {
          const found = await tx.payments.findById(id);
          if (found && found.organizationId === organizationId) return render.payment(found);
          const manual = await tx.manualPayments.findById(id);
          if (manual && manual.organizationId === organizationId) return render.manualPayment(manual);
          throw ApiError.fromDomain(notFound('payment'));
        });
        return c.json({ payment });
      },
    ),
  ];
}
