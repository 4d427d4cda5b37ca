import { z } from '@hono/zod-openapi';
import { notFound } from '@payrail/domain';
import { CreditNoteSchema, InvoiceSchema, PaymentRequestSchema, PaymentSchema } from '@payrail/lago-wire';
import type { Context } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Handler, type Route, route } from '../http/route.js';
import type { ApiEnv } from '../http/types.js';
import {
  errorResponses,
  jsonContent,
  keyParam,
  PaginationQuery,
  paginated,
  security,
} from '../schemas/common.js';
import type { ListScope } from '../views/list-page.js';
import { listCreditNotes } from './credit-notes.js';
import { listInvoices } from './invoices.js';
import { listPaymentRequests } from './payment-requests.js';
import { listPayments } from './payments.js';

const tags = ['Customers'];
const ExternalId = z.object({ external_customer_id: z.string() });

type ScopedList = (deps: ApiDeps, c: Context<ApiEnv>, scope: ListScope) => Promise<Response>;

/** Resolves the customer in the caller's organization (404 otherwise), then lists within it. */
function scoped(deps: ApiDeps, list: ScopedList): Handler {
  return async (c) => {
    const organizationId = c.get('organizationId');
    const externalId = keyParam(c.req.param('external_customer_id'), 'customer');
    const customer = await deps.reads.read(organizationId, (tx) =>
      tx.customers.findByExternalId(organizationId, externalId),
    );
    if (!customer || customer.organizationId !== organizationId)
      throw ApiError.fromDomain(notFound('customer'));
    return list(deps, c, { customerId: customer.id });
  };
}

export function customerListRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'get',
        path: '/customers/{external_customer_id}/invoices',
        operationId: 'findAllCustomerInvoices',
        tags,
        security,
        summary: "List a customer's invoices",
        description: 'Same filters as `GET /invoices` (`status` and `payment_status` as scalars or arrays).',
        request: { params: ExternalId, query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('invoices', InvoiceSchema), 'Invoices'),
          ...errorResponses(404, 422),
        },
      },
      scoped(deps, listInvoices),
    ),
    route(
      {
        method: 'get',
        path: '/customers/{external_customer_id}/payments',
        operationId: 'findAllCustomerPayments',
        tags,
        security,
        summary: "List a customer's payments",
        request: { params: ExternalId, query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('payments', PaymentSchema), 'Payments'),
          ...errorResponses(404, 422),
        },
      },
      scoped(deps, listPayments),
    ),
    route(
      {
        method: 'get',
        path: '/customers/{external_customer_id}/credit_notes',
        operationId: 'findAllCustomerCreditNotes',
        tags,
        security,
        summary: "List a customer's credit notes",
        request: { params: ExternalId, query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('credit_notes', CreditNoteSchema), 'Credit notes'),
          ...errorResponses(404, 422),
        },
      },
      scoped(deps, listCreditNotes),
    ),
    route(
      {
        method: 'get',
        path: '/customers/{external_customer_id}/payment_requests',
        operationId: 'findAllCustomerPaymentRequests',
        tags,
        security,
        summary: "List a customer's payment requests",
        description: 'Same filters as `GET /payment_requests`.',
        request: { params: ExternalId, query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('payment_requests', PaymentRequestSchema), 'Payment requests'),
          ...errorResponses(404, 422),
        },
      },
      scoped(deps, listPaymentRequests),
    ),
  ];
}
