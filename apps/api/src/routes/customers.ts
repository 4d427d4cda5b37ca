import { z } from '@hono/zod-openapi';
import {
  deleteCustomer,
  generateCheckoutLink,
  notFound,
  saveCustomer,
  setDefaultPaymentMethod,
} from '@payrail/domain';
import {
  CheckoutUrlSchema,
  CustomerEnvelope,
  CustomerInput,
  CustomerListQuery,
  CustomerSchema,
  PaymentMethodSchema,
  paginationMeta,
  serializeCheckoutUrl,
  serializePaymentMethod,
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
  jsonBodyDoc,
  jsonContent,
  keyParam,
  lagoIdParam,
  PaginationQuery,
  pageOf,
  paginated,
  security,
  single,
} from '../schemas/common.js';
import { withRenderer } from '../views/renderer.js';

const tags = ['Customers'];
const ExternalId = z.object({ external_customer_id: z.string() });

async function customerInOrganization(tx: ReadTx, organizationId: string, ref: { externalId: string }) {
  const customer = await tx.customers.findByExternalId(organizationId, ref.externalId);
  if (!customer || customer.organizationId !== organizationId || customer.deletedAt) {
    throw ApiError.fromDomain(notFound('customer'));
  }
  return customer;
}

function customerRef(c: Context<ApiEnv>): { externalId: string } {
  return { externalId: keyParam(c.req.param('external_customer_id'), 'customer') };
}

export function customerRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/customers',
        operationId: 'createCustomer',
        tags,
        security,
        summary: 'Create or update a customer',
        description:
          'Upsert by `external_id`. With `billing_configuration.sync_with_provider` the customer is created in Stripe (inside the request when `sync` is true).',
        request: { body: jsonBodyDoc(CustomerEnvelope) },
        responses: {
          200: jsonContent(single('customer', CustomerSchema), 'The customer'),
          ...errorResponses(400, 404, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const body = parseEnvelope(c.get('rawBody'), 'customer', CustomerInput);
        const customer = await runUseCase(saveCustomer, ctx, { organizationId, ...body });
        const wire = await withRenderer(deps.reads, c, async (tx, render) =>
          render.customerExtended((await tx.customers.findById(customer.id)) ?? customer),
        );
        return c.json({ customer: wire });
      },
      async (c, written) => {
        const id = writtenId(written, 'customers');
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const customer = await tx.customers.findById(id);
          if (!customer) throw ApiError.fromDomain(notFound('customer'));
          return render.customerExtended(customer);
        });
        return c.json({ customer: wire });
      },
    ),
    route(
      {
        method: 'get',
        path: '/customers',
        operationId: 'findAllCustomers',
        tags,
        security,
        summary: 'List customers',
        request: { query: PaginationQuery.extend(CustomerListQuery.in.shape) },
        responses: {
          200: jsonContent(paginated('customers', CustomerSchema), 'Customers'),
          ...errorResponses(422),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const filter = parseQuery(c.req.url, CustomerListQuery);
        const page = pageOf(c.req.url);
        const result = await deps.lists.customers(organizationId, filter, page);
        const customers = await withRenderer(deps.reads, c, async (_tx, render) =>
          Promise.all(result.items.map((customer) => render.customer(customer))),
        );
        return c.json({ customers, meta: paginationMeta(page, result.totalCount) });
      },
    ),
    route(
      {
        method: 'get',
        path: '/customers/{external_customer_id}',
        operationId: 'findCustomer',
        tags,
        security,
        summary: 'Retrieve a customer',
        request: { params: ExternalId },
        responses: {
          200: jsonContent(single('customer', CustomerSchema), 'The customer'),
          ...errorResponses(404),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const ref = customerRef(c);
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          return render.customerExtended(await customerInOrganization(tx, organizationId, ref));
        });
        return c.json({ customer: wire });
      },
    ),
    route(
      {
        method: 'delete',
        path: '/customers/{external_customer_id}',
        operationId: 'destroyCustomer',
        tags,
        security,
        summary: 'Delete a customer',
        description:
          'Soft delete: the `external_id` is free for a new customer, the Stripe link and saved methods are removed (the customer is not deleted at Stripe), and its invoices, payments and credit notes stay readable by id. 405 `payment_processor_is_currently_handling_payment` while one of its payments is in flight.',
        request: { params: ExternalId },
        responses: {
          200: jsonContent(single('customer', CustomerSchema), 'The deleted customer'),
          ...errorResponses(404, 405),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const ref = customerRef(c);
        const deleted = await runUseCase(deleteCustomer, ctx, {
          organizationId,
          externalId: ref.externalId,
        });
        const wire = await withRenderer(deps.reads, c, (_tx, render) => render.customerExtended(deleted));
        return c.json({ customer: wire });
      },
    ),
    route(
      {
        method: 'post',
        path: '/customers/{external_customer_id}/checkout_url',
        operationId: 'generateCustomerCheckoutUrl',
        tags,
        security,
        summary: 'Generate a Stripe Checkout URL to save a payment method',
        description:
          'No body. The link is valid for 24 hours. Does not send `customer.checkout_url_generated`.',
        request: { params: ExternalId },
        responses: {
          200: jsonContent(single('customer', CheckoutUrlSchema), 'The checkout URL'),
          ...errorResponses(404, 422, 429),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const link = await runUseCase(generateCheckoutLink, ctx, {
          organizationId,
          customer: customerRef(c),
          announce: false,
        });
        return c.json({ customer: serializeCheckoutUrl(link) });
      },
    ),
    route(
      {
        method: 'get',
        path: '/customers/{external_customer_id}/payment_methods',
        operationId: 'findAllCustomerPaymentMethods',
        tags,
        security,
        summary: "List a customer's saved payment methods",
        request: { params: ExternalId, query: PaginationQuery },
        responses: {
          200: jsonContent(paginated('payment_methods', PaymentMethodSchema), 'Payment methods'),
          ...errorResponses(404),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const ref = customerRef(c);
        const page = pageOf(c.req.url);
        const { items, total } = await withRenderer(deps.reads, c, async (tx, render) => {
          const customer = await customerInOrganization(tx, organizationId, ref);
          const methods = await tx.paymentMethods.listByCustomer(customer.id);
          const defaultId =
            customer.billing.provider === 'stripe'
              ? customer.billing.defaultPaymentMethod?.paymentMethodId
              : null;
          const slice = methods.slice((page.page - 1) * page.perPage, page.page * page.perPage);
          const rendered = [];
          for (const method of slice) {
            const connection = await render.connection(method.connectionId);
            rendered.push(
              serializePaymentMethod(method, {
                isDefault: method.id === defaultId,
                connectionCode: connection?.code ?? null,
                connectionName: connection?.name ?? null,
              }),
            );
          }
          return { items: rendered, total: methods.length };
        });
        return c.json({ payment_methods: items, meta: paginationMeta(page, total) });
      },
    ),
    route(
      {
        method: 'put',
        path: '/customers/{external_customer_id}/payment_methods/{lago_id}/set_as_default',
        operationId: 'setCustomerPaymentMethodAsDefault',
        tags,
        security,
        summary: "Make a saved method the customer's default",
        request: { params: ExternalId.extend({ lago_id: z.uuid() }) },
        responses: {
          200: jsonContent(single('payment_method', PaymentMethodSchema), 'The payment method'),
          ...errorResponses(404, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const ref = customerRef(c);
        const paymentMethodId = lagoIdParam(c.req.param('lago_id'), 'payment_method');
        const customer = await runUseCase(setDefaultPaymentMethod, ctx, {
          organizationId,
          customer: ref,
          paymentMethodId,
        });
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const method = await tx.paymentMethods.findById(paymentMethodId);
          if (!method) throw ApiError.fromDomain(notFound('payment_method'));
          const connection = await render.connection(method.connectionId);
          return serializePaymentMethod(method, {
            isDefault:
              customer.billing.provider === 'stripe' &&
              customer.billing.defaultPaymentMethod?.paymentMethodId === method.id,
            connectionCode: connection?.code ?? null,
            connectionName: connection?.name ?? null,
          });
        });
        return c.json({ payment_method: wire });
      },
    ),
  ];
}
