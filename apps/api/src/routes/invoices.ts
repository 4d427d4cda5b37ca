import { z } from '@hono/zod-openapi';
import {
  createOneOffInvoice,
  generateInvoicePaymentUrl,
  type Invoice,
  loseDispute,
  notFound,
  retryInvoicePayment,
  type UseCaseContext,
  updateInvoice,
  voidInvoice,
} from '@payrail/domain';
import {
  InvoiceCreateInput,
  InvoiceExtendedSchema,
  InvoiceListQuery,
  InvoicePaymentDetailsSchema,
  InvoiceRetryPaymentInput,
  InvoiceSchema,
  InvoiceUpdateInput,
  InvoiceVoidInput,
  serializeInvoicePaymentDetails,
} from '@payrail/lago-wire';
import type { Context } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { emptyOk, type Route, route, writtenId } from '../http/route.js';
import type { ApiEnv } from '../http/types.js';
import { runUseCase } from '../http/use-case.js';
import { parseEnvelope, parseQuery, parseTopLevel } from '../http/validation.js';
import {
  errorResponses,
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

const tags = ['Invoices'];
const IdParam = z.object({ lago_id: z.uuid() });
const invoiceEnvelope = single('invoice', InvoiceExtendedSchema);

function invoiceId(c: Context<ApiEnv>): string {
  return lagoIdParam(c.req.param('lago_id'), 'invoice');
}

async function renderInvoice(deps: ApiDeps, c: Context<ApiEnv>, invoice: Invoice) {
  return withRenderer(deps.reads, c, (_tx, render) => render.invoiceExtended(invoice));
}

async function loadInvoice(deps: ApiDeps, organizationId: string, id: string): Promise<Invoice> {
  const invoice = await deps.reads.read(organizationId, (tx) => tx.invoices.findById(id));
  if (!invoice || invoice.organizationId !== organizationId) throw ApiError.fromDomain(notFound('invoice'));
  return invoice;
}

/** A retried write whose first attempt committed: the invoice as it is now. */
async function replayInvoice(deps: ApiDeps, c: Context<ApiEnv>, id: string): Promise<Response> {
  const organizationId = c.get('organizationId');
  const invoice = await loadInvoice(deps, organizationId, id);
  return c.json({ invoice: await renderInvoice(deps, c, invoice) });
}

/** Shared by the organization-wide list and the customer-scoped one. */
export function listInvoices(deps: ApiDeps, c: Context<ApiEnv>, scope: ListScope): Promise<Response> {
  return renderList(deps, c, scope, {
    key: 'invoices',
    filter: (url) => parseQuery(url, InvoiceListQuery),
    load: (organizationId, filter, page) => deps.lists.invoices(organizationId, filter, page),
    render: (invoice, render) => render.invoice(invoice),
  });
}

async function paymentUrl(c: Context<ApiEnv>, ctx: UseCaseContext): Promise<Response> {
  const link = await runUseCase(generateInvoicePaymentUrl, ctx, {
    organizationId: c.get('organizationId'),
    invoiceId: invoiceId(c),
  });
  return c.json({ invoice_payment_details: serializeInvoicePaymentDetails(link) });
}

export function invoiceRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/invoices',
        operationId: 'createInvoice',
        tags,
        security,
        summary: 'Create a one-off invoice',
        description:
          'The invoice is finalized at once. Unless `skip_psp` is true, collection through Stripe starts immediately (in the background).',
        request: { body: jsonBodyDoc(z.object({ invoice: InvoiceCreateInput })) },
        responses: { 200: jsonContent(invoiceEnvelope, 'The invoice'), ...errorResponses(400, 404, 422) },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const body = parseEnvelope(c.get('rawBody'), 'invoice', InvoiceCreateInput);
        const invoice = await runUseCase(createOneOffInvoice, ctx, { organizationId, ...body });
        return c.json({ invoice: await renderInvoice(deps, c, invoice) });
      },
      (c, written) => replayInvoice(deps, c, writtenId(written, 'invoices')),
    ),
    route(
      {
        method: 'get',
        path: '/invoices',
        operationId: 'findAllInvoices',
        tags,
        security,
        summary: 'List invoices',
        description:
          'Filters as Lago: `external_customer_id`, `status`/`statuses[]`, `payment_status`/`payment_statuses[]`, `currency`, `issuing_date_from`/`_to`, `amount_from`/`_to`, `payment_overdue`, `payment_dispute_lost`, `invoice_type`, `search_term`.',
        request: { query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('invoices', InvoiceSchema), 'Invoices'),
          ...errorResponses(422),
        },
      },
      (c) => listInvoices(deps, c, {}),
    ),
    route(
      {
        method: 'get',
        path: '/invoices/{lago_id}',
        operationId: 'findInvoice',
        tags,
        security,
        summary: 'Retrieve an invoice',
        request: { params: IdParam },
        responses: { 200: jsonContent(invoiceEnvelope, 'The invoice'), ...errorResponses(404) },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const invoice = await loadInvoice(deps, organizationId, invoiceId(c));
        return c.json({ invoice: await renderInvoice(deps, c, invoice) });
      },
    ),
    route(
      {
        method: 'put',
        path: '/invoices/{lago_id}',
        operationId: 'updateInvoice',
        tags,
        security,
        summary: 'Update an invoice',
        description:
          "Lago's manual `payment_status` (pending, succeeded, failed; fires `invoice.payment_status_updated` when it changes) and `metadata` (replaced as a whole; an entry with its `id` keeps it). 405 `update_on_voided_invoice`; 405 `payment_processor_is_currently_handling_payment` while a Stripe attempt is in flight; 405 `invalid_status` when a payment already settled the invoice (a success is final). A manual status records no money.",
        request: { params: IdParam, body: jsonBodyDoc(z.object({ invoice: InvoiceUpdateInput })) },
        responses: {
          200: jsonContent(invoiceEnvelope, 'The invoice'),
          ...errorResponses(400, 404, 405, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const id = invoiceId(c);
        const body = parseEnvelope(c.get('rawBody'), 'invoice', InvoiceUpdateInput);
        const invoice = await runUseCase(updateInvoice, ctx, { organizationId, invoiceId: id, ...body });
        return c.json({ invoice: await renderInvoice(deps, c, invoice) });
      },
    ),
    route(
      {
        method: 'post',
        path: '/invoices/{lago_id}/void',
        operationId: 'voidInvoice',
        tags,
        security,
        summary: 'Void a finalized invoice',
        description:
          'Body optional. `generate_credit_note: true` is answered with 403 `feature_unavailable`.',
        request: { params: IdParam, body: jsonBodyDoc(InvoiceVoidInput, false) },
        responses: {
          200: jsonContent(invoiceEnvelope, 'The voided invoice'),
          ...errorResponses(404, 405, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const id = invoiceId(c);
        const body = parseTopLevel(c.get('rawBody'), InvoiceVoidInput);
        if (body.generateCreditNote) {
          throw new ApiError({ status: 403, error: 'Forbidden', code: 'feature_unavailable' });
        }
        const invoice = await runUseCase(voidInvoice, ctx, { organizationId, invoiceId: id });
        return c.json({ invoice: await renderInvoice(deps, c, invoice) });
      },
      (c) => replayInvoice(deps, c, invoiceId(c)),
    ),
    route(
      {
        method: 'post',
        path: '/invoices/{lago_id}/retry_payment',
        operationId: 'retryInvoicePayment',
        tags,
        security,
        summary: 'Retry collecting the payment of an invoice',
        description: 'Answers 200 with an empty body; the attempt runs in the background.',
        request: { params: IdParam, body: jsonBodyDoc(InvoiceRetryPaymentInput, false) },
        responses: { 200: { description: 'Accepted (empty body)' }, ...errorResponses(404, 405, 422) },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const id = invoiceId(c);
        parseTopLevel(c.get('rawBody'), InvoiceRetryPaymentInput);
        await runUseCase(retryInvoicePayment, ctx, { organizationId, invoiceId: id });
        return emptyOk();
      },
      async () => emptyOk(),
    ),
    route(
      {
        method: 'post',
        path: '/invoices/{lago_id}/payment_url',
        operationId: 'invoicePaymentUrl',
        tags,
        security,
        summary: 'Generate a payment link for an invoice',
        description:
          'No body. A one-time Stripe Checkout page where the customer pays what is due on the invoice now (total less payments and offsets), e.g. without a saved payment method. The same URL is returned until the page expires (24 hours). While it is open the invoice is pending with `payment_waiting_reason: payment_link_open`, and collection, retries, manual payments, offsets and voiding wait (405 `payment_processor_is_currently_handling_payment`); paying it settles the invoice with `payment.succeeded` and `invoice.payment_status_updated`; an unpaid page that expires hands the invoice back to collection. 422 `invalid_invoice_status_or_payment_status` for a draft, voided or paid invoice (or nothing due); 422 `no_linked_payment_provider` / `missing_payment_provider_customer` when the customer cannot pay through Stripe; 405 `payment_processor_is_currently_handling_payment` while a collection attempt is out; 422 `provider_error` when Stripe refuses the page (with `invoice.payment_failure`).',
        request: { params: IdParam },
        responses: {
          200: jsonContent(
            single('invoice_payment_details', InvoicePaymentDetailsSchema),
            'The payment link',
          ),
          ...errorResponses(404, 405, 422, 429),
        },
      },
      paymentUrl,
      // The link is reused while open: a retried request answers with the same URL.
      (c) => paymentUrl(c, deps.ctx),
    ),
    route(
      {
        method: 'post',
        path: '/invoices/{lago_id}/lose_dispute',
        operationId: 'loseInvoiceDispute',
        tags,
        security,
        summary: 'Mark the payment dispute of an invoice as lost',
        request: { params: IdParam },
        responses: { 200: jsonContent(invoiceEnvelope, 'The invoice'), ...errorResponses(404, 405) },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const id = invoiceId(c);
        const invoice = await runUseCase(loseDispute, ctx, { organizationId, invoiceId: id });
        return c.json({ invoice: await renderInvoice(deps, c, invoice) });
      },
      (c) => replayInvoice(deps, c, invoiceId(c)),
    ),
  ];
}
