import type {
  CreditNote,
  Customer,
  Id,
  Invoice,
  InvoiceSummary,
  ManualPayment,
  Payment,
} from '@payrail/domain';
import {
  type CustomerRefs,
  type LagoCreditNote,
  type LagoCustomer,
  type LagoCustomerExtended,
  type LagoInvoice,
  type LagoInvoiceExtended,
  type LagoPayment,
  notFoundBody,
  serializeCreditNote,
  serializeCustomer,
  serializeCustomerExtended,
  serializeInvoice,
  serializeInvoiceExtended,
  serializeManualPayment,
  serializePayment,
} from '@payrail/lago-wire';
import type { ConnectionLabel, ReadScope, ReadTx } from '@payrail/persistence';
import type { Context } from 'hono';
import { ApiError } from '../http/api-error.js';
import type { ApiEnv } from '../http/types.js';

/**
 * Loads what a Lago object embeds (its customer, connection code, invoice number), remembering
 * each lookup for the rest of the request.
 */
export class Renderer {
  #prefix: string | undefined;
  readonly #connections = new Map<Id, ConnectionLabel | null>();
  readonly #customers = new Map<Id, Customer>();
  readonly #invoices = new Map<Id, Invoice>();
  readonly #rendered = new WeakMap<Customer, LagoCustomer>();

  /** `documentNumberPrefix`: the organization's, when already known (it comes with the API key). */
  constructor(
    private readonly tx: ReadTx,
    private readonly organizationId: Id,
    documentNumberPrefix?: string,
  ) {
    this.#prefix = documentNumberPrefix;
  }

  /** Customers and connections a list read along with its page, so rendering reads nothing more. */
  remember(customers: readonly Customer[], connections: ReadonlyMap<Id, ConnectionLabel>): void {
    for (const customer of customers)
      if (customer.organizationId === this.organizationId) this.#customers.set(customer.id, customer);
    for (const [id, connection] of connections) this.#connections.set(id, connection);
  }

  /** Loads the customers of a page's objects in one read, so rendering each reads nothing. */
  async preloadCustomers(ids: Iterable<Id>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.#customers.has(id));
    if (missing.length === 0) return;
    for (const customer of await this.tx.customers.findByIds(missing))
      if (customer.organizationId === this.organizationId) this.#customers.set(customer.id, customer);
  }

  async documentPrefix(): Promise<string> {
    if (this.#prefix === undefined) {
      const organization = await this.tx.organizations.findById(this.organizationId);
      this.#prefix = organization?.documentNumberPrefix ?? 'PRL';
    }
    return this.#prefix;
  }

  async connection(connectionId: Id): Promise<ConnectionLabel | null> {
    if (!this.#connections.has(connectionId)) {
      const connection = await this.tx.stripeConnections.findById(connectionId);
      this.#connections.set(
        connectionId,
        connection ? { code: connection.code, name: connection.name } : null,
      );
    }
    return this.#connections.get(connectionId) ?? null;
  }

  async connectionCode(connectionId: Id | null): Promise<string | null> {
    return connectionId === null ? null : ((await this.connection(connectionId))?.code ?? null);
  }

  async customerRefs(customer: Customer): Promise<CustomerRefs> {
    const connectionId = customer.billing.provider === 'stripe' ? customer.billing.connectionId : null;
    return {
      connectionCode: await this.connectionCode(connectionId),
      documentNumberPrefix: await this.documentPrefix(),
    };
  }

  /** Rendered once per customer object: a page of one customer's invoices embeds it in each. */
  async customer(customer: Customer): Promise<LagoCustomer> {
    let rendered = this.#rendered.get(customer);
    if (!rendered) {
      rendered = serializeCustomer(customer, await this.customerRefs(customer));
      this.#rendered.set(customer, rendered);
    }
    return rendered;
  }

  async customerExtended(customer: Customer): Promise<LagoCustomerExtended> {
    return serializeCustomerExtended(customer, await this.customerRefs(customer));
  }

  /** An object's customer; a missing one is a 404 rather than a half-rendered object. */
  async customerById(id: Id): Promise<Customer> {
    let customer = this.#customers.get(id);
    if (!customer) {
      customer = (await this.tx.customers.findById(id)) ?? undefined;
      if (!customer || customer.organizationId !== this.organizationId) {
        throw new ApiError(notFoundBody('customer_not_found'));
      }
      this.#customers.set(id, customer);
    }
    return customer;
  }

  async invoiceById(id: Id): Promise<Invoice | null> {
    let invoice = this.#invoices.get(id);
    if (!invoice) {
      invoice = (await this.tx.invoices.findById(id)) ?? undefined;
      if (!invoice || invoice.organizationId !== this.organizationId) return null;
      this.#invoices.set(id, invoice);
    }
    return invoice;
  }

  async invoice(invoice: InvoiceSummary): Promise<LagoInvoice> {
    const customer = await this.customer(await this.customerById(invoice.customerId));
    return serializeInvoice(invoice, { customer, documentNumberPrefix: await this.documentPrefix() });
  }

  async invoiceExtended(invoice: Invoice): Promise<LagoInvoiceExtended> {
    const customer = await this.customer(await this.customerById(invoice.customerId));
    return serializeInvoiceExtended(invoice, { customer, documentNumberPrefix: await this.documentPrefix() });
  }

  async manualPayment(payment: ManualPayment): Promise<LagoPayment> {
    const customer = await this.customerById(payment.customerId);
    const invoice = await this.invoiceById(payment.invoiceId);
    return serializeManualPayment(payment, {
      externalCustomerId: customer.externalId,
      invoiceNumber: invoice && invoice.status !== 'draft' ? invoice.number : null,
    });
  }

  async payment(payment: Payment): Promise<LagoPayment> {
    const customer = await this.customerById(payment.customerId);
    const invoice = await this.invoiceById(payment.invoiceId);
    const method =
      payment.providerPaymentMethodId === null
        ? null
        : await this.tx.paymentMethods.findByProviderId(payment.customerId, payment.providerPaymentMethodId);
    const request = payment.paymentRequestId
      ? await this.tx.paymentRequests.findById(payment.paymentRequestId)
      : null;
    const paid = request ? await this.tx.invoices.findByIds(request.items.map((item) => item.invoiceId)) : [];
    const numberOf = new Map(paid.map((i) => [i.id, i.status === 'draft' ? null : i.number]));
    return serializePayment(payment, {
      externalCustomerId: customer.externalId,
      invoiceNumber: invoice && invoice.status !== 'draft' ? invoice.number : null,
      connectionCode: await this.connectionCode(payment.connectionId),
      paymentMethodId: method?.id ?? null,
      // A payment request's charge lists every invoice it paid, as Lago does.
      ...(request
        ? {
            paidInvoices: {
              ids: request.items.map((item) => item.invoiceId),
              numbers: request.items.flatMap((item) => numberOf.get(item.invoiceId) ?? []),
            },
          }
        : {}),
    });
  }

  async creditNote(note: CreditNote): Promise<LagoCreditNote> {
    const invoice = await this.invoiceById(note.invoiceId);
    if (!invoice) throw new ApiError(notFoundBody('invoice_not_found'));
    const customer = await this.customer(await this.customerById(note.customerId));
    return serializeCreditNote(note, { invoice, customer });
  }
}

/**
 * Runs `fn` with the request organization's reads (outside any transaction: what a route renders
 * has committed) and a renderer for it.
 */
export function withRenderer<T>(
  reads: ReadScope,
  c: Context<ApiEnv>,
  fn: (tx: ReadTx, render: Renderer) => Promise<T>,
): Promise<T> {
  const organizationId = c.get('organizationId');
  const prefix = c.get('organization')?.documentNumberPrefix;
  return reads.read(organizationId, (tx) => fn(tx, new Renderer(tx, organizationId, prefix)));
}
