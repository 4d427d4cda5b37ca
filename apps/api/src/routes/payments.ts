import { z } from '@hono/zod-openapi';
import { createManualPayment, notFound } from '@payrail/domain';
import { PaymentCreateInput, PaymentListQuery, PaymentSchema } from '@payrail/lago-wire';
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
import { withRenderer } from '../views/renderer.js';

const tags = ['Payments'];

/** Shared by the organization-wide list and the customer-scoped one. */
export function listPayments(deps: ApiDeps, c: Context<ApiEnv>, scope: ListScope): Promise<Response> {
  return renderList(deps, c, scope, {
    key: 'payments',
    filter: (url) => {
      const filter = parseQuery(url, PaymentListQuery);
      return filter.invoiceId !== undefined && !isUuid(filter.invoiceId) ? null : filter;
    },
    load: (organizationId, filter, page) => deps.lists.payments(organizationId, filter, page),
    render: (payment, render) =>
      'status' in payment ? render.payment(payment) : render.manualPayment(payment),
  });
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
