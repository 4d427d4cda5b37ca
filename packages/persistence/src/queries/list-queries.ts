import type {
  AddOn,
  CreditNote,
  Customer,
  Id,
  InvoiceSummary,
  ManualPayment,
  Payment,
  PaymentRequest,
} from '@payrail/domain';
import { CustomerSchema } from '../orm/entities/customer.js';
import { InvoiceMetadataSchema, InvoiceSchema } from '../orm/entities/invoice.js';
import { toCustomer } from '../repositories/customers.js';
import { toInvoiceSummary, toMetadataEntry } from '../repositories/invoices.js';
import type { ReadScope, ReadTx } from '../repositories/unit-of-work.js';
import { likePattern, type SqlRunner, Where } from '../sql/runner.js';
import type { Page, PageRequest } from './page.js';

export interface CustomerFilter {
  readonly externalId?: string;
  readonly searchTerm?: string;
  readonly currencies?: readonly string[];
  readonly countries?: readonly string[];
}

export interface InvoiceFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly statuses?: readonly ('draft' | 'finalized' | 'voided')[];
  readonly paymentStatuses?: readonly ('pending' | 'succeeded' | 'failed')[];
  readonly currency?: string;
  readonly issuingDateFrom?: string;
  readonly issuingDateTo?: string;
  readonly amountFrom?: number;
  readonly amountTo?: number;
  readonly paymentDisputeLost?: boolean;
  readonly searchTerm?: string;
  /** `payment_overdue=true` matches nothing: Payrail invoices are due on issue and never flagged. */
  readonly paymentOverdue?: boolean;
}

/** What a Lago object shows of a Stripe connection (`payment_provider_code`, its name). */
export interface ConnectionLabel {
  readonly code: string;
  readonly name: string;
}

/** What a page's items embed, read with the page: their customers and those customers' connections. */
export interface PageCustomers {
  readonly customers: readonly Customer[];
  /** Each customer's Stripe connection, by its id. */
  readonly connections: ReadonlyMap<Id, ConnectionLabel>;
}

/** A page of invoices with their customers. */
export type InvoicePage = Page<InvoiceSummary> & PageCustomers;

export interface PaymentFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly invoiceId?: string;
}

export interface PaymentRequestFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly paymentStatus?: 'pending' | 'succeeded' | 'failed';
  readonly currency?: string;
}

export interface CreditNoteFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly currency?: string;
  readonly reason?: string;
  readonly creditStatus?: string;
  readonly refundStatus?: string;
  readonly issuingDateFrom?: string;
  readonly issuingDateTo?: string;
  readonly amountFrom?: number;
  readonly amountTo?: number;
  readonly searchTerm?: string;
  readonly invoiceNumber?: string;
}

/** A list parameter bound as one JSON array (a JS array would be spread into several parameters). */
const JSON_TEXTS = '(select jsonb_array_elements_text(?::jsonb))';

function upperJson(values: readonly string[]): string {
  return JSON.stringify(values.map((v) => v.toUpperCase()));
}

/** A loader for aggregates that have no batch read yet: one look-up per id. */
function oneByOne<T>(find: (tx: ReadTx, id: Id) => Promise<T | null>) {
  return async (tx: ReadTx, ids: readonly Id[]): Promise<readonly T[]> => {
    const out: T[] = [];
    for (const id of ids) {
      const item = await find(tx, id);
      if (item !== null) out.push(item);
    }
    return out;
  };
}

/**
 * Lago's lists: paginated, filtered reads the domain has no port for, always scoped to one
 * organization. Filters, counts and pages in SQL (ids only, in one statement, from each list's
 * index in its order: decision 0902), then loads the page's aggregates through the repositories,
 * outside any transaction, so that the row mapping lives in one place. Decision 0510.
 */
export class ListQueries {
  constructor(
    private readonly sql: SqlRunner,
    private readonly reads: ReadScope,
  ) {}

  async #page<T extends { readonly id: Id }>(
    organizationId: Id,
    from: string,
    where: Where,
    orderBy: string,
    page: PageRequest,
    load: (tx: ReadTx, ids: readonly Id[]) => Promise<readonly T[]>,
  ): Promise<Page<T>> {
    const [row] = await this.sql.rows<{ total: string | number; ids: string[] | null }>(
      `select (select count(*) from ${from} ${where}) as total,
              (select array_agg(p.id::text order by p.n) from (
                 select x.id, row_number() over (order by ${orderBy}) as n
                   from ${from} ${where} order by ${orderBy} limit ? offset ?) p) as ids`,
      [...where.params, ...where.params, page.perPage, (page.page - 1) * page.perPage],
    );
    const totalCount = Number(row?.total ?? 0);
    const ids = row?.ids ?? [];
    if (ids.length === 0) return { items: [], totalCount };
    const loaded = await this.reads.read(organizationId, (tx) => load(tx, ids));
    // The loader may answer in any order; the page keeps the SQL order.
    const byId = new Map(loaded.map((item) => [item.id, item]));
    const items = ids.flatMap((id) => byId.get(id) ?? []);
    return { items, totalCount };
  }

  customers(organizationId: Id, filter: CustomerFilter, page: PageRequest): Promise<Page<Customer>> {
    const where = new Where().add('x.organization_id = ?', organizationId).add('x.deleted_at is null');
    if (filter.externalId !== undefined) where.add('x.external_id = ?', filter.externalId);
    if (filter.currencies) where.add(`x.currency in ${JSON_TEXTS}`, upperJson(filter.currencies));
    if (filter.countries) where.add(`x.country in ${JSON_TEXTS}`, upperJson(filter.countries));
    if (filter.searchTerm) {
      const like = likePattern(filter.searchTerm);
      where.add(
        '(x.external_id ilike ? or x.name ilike ? or x.firstname ilike ? or x.lastname ilike ? or x.email ilike ?)',
        like,
        like,
        like,
        like,
        like,
      );
    }
    return this.#page(
      organizationId,
      `${this.sql.table('customers')} x`,
      where,
      'x.created_at desc, x.id asc',
      page,
      (tx, ids) => tx.customers.findByIds(ids),
    );
  }

  addOns(organizationId: Id, page: PageRequest): Promise<Page<AddOn>> {
    const where = new Where().add('x.organization_id = ?', organizationId).add('x.deleted_at is null');
    return this.#page(
      organizationId,
      `${this.sql.table('add_ons')} x`,
      where,
      'x.created_at desc, x.id asc',
      page,
      oneByOne((tx, id) => tx.addOns.findById(id)),
    );
  }

  /**
   * One statement: the count, and the page's invoices with their metadata, their customer and its
   * connection's code (fees are not read: Lago's list items carry none). Decision 0905.
   */
  async invoices(organizationId: Id, filter: InvoiceFilter, page: PageRequest): Promise<InvoicePage> {
    const where = new Where().add('x.organization_id = ?', organizationId);
    // Only these filters read the customer; without them the count reads invoices alone.
    const byCustomer = filter.externalCustomerId !== undefined || Boolean(filter.searchTerm);
    if (filter.paymentOverdue === true) where.add('false');
    // A deleted customer's external id may belong to a new customer now.
    if (filter.externalCustomerId !== undefined)
      where.add('c.external_id = ? and c.deleted_at is null', filter.externalCustomerId);
    if (filter.customerId !== undefined) where.add('x.customer_id = ?', filter.customerId);
    if (filter.statuses) where.add(`x.status in ${JSON_TEXTS}`, JSON.stringify(filter.statuses));
    if (filter.paymentStatuses)
      where.add(`x.payment_status in ${JSON_TEXTS}`, JSON.stringify(filter.paymentStatuses));
    if (filter.currency !== undefined) where.add('x.currency = ?', filter.currency);
    if (filter.issuingDateFrom !== undefined) where.add('x.issuing_date >= ?::date', filter.issuingDateFrom);
    if (filter.issuingDateTo !== undefined) where.add('x.issuing_date <= ?::date', filter.issuingDateTo);
    if (filter.amountFrom !== undefined) where.add('x.total_amount_cents >= ?', filter.amountFrom);
    if (filter.amountTo !== undefined) where.add('x.total_amount_cents <= ?', filter.amountTo);
    if (filter.paymentDisputeLost !== undefined) {
      where.add(
        filter.paymentDisputeLost
          ? 'x.payment_dispute_lost_at is not null'
          : 'x.payment_dispute_lost_at is null',
      );
    }
    if (filter.searchTerm) {
      const like = likePattern(filter.searchTerm);
      where.add(
        '(x.number ilike ? or c.external_id ilike ? or c.name ilike ? or c.email ilike ?)',
        like,
        like,
        like,
        like,
      );
    }
    const invoices = `${this.sql.table('invoices')} x`;
    const from = `${invoices} join ${this.sql.table('customers')} c on c.id = x.customer_id`;
    const order = (a: string) => `${a}.issuing_date desc nulls first, ${a}.created_at desc, ${a}.id asc`;
    // The count and the page side by side (the left join keeps the count when the page is empty);
    // the page's customers, each once however many of its invoices the page holds, on its first row.
    const rows = await this.sql.rows<
      Record<string, unknown> & {
        __total: string | number;
        id: string | null;
        __metadata: Record<string, unknown>[];
        __customers: { customer: Record<string, unknown>; connection: ConnectionLabel | null }[] | null;
      }
    >(
      `with page as (
         select x.* from ${from} ${where} order by ${order('x')} limit ? offset ?
       )
       select t.__total, p.*,
              coalesce((select json_agg(m order by m."position") from ${this.sql.table('invoice_metadata')} m
                         where m.invoice_id = p.id), '[]') as __metadata,
              case when p.id = (select f.id from page f order by ${order('f')} limit 1) then (
                select json_agg(json_build_object(
                         'customer', to_json(c),
                         'connection', (select json_build_object('code', s.code, 'name', s.name)
                                          from ${this.sql.table('stripe_connections')} s where s.id = c.connection_id)))
                  from ${this.sql.table('customers')} c where c.id in (select customer_id from page)
              ) end as __customers
         from (select count(*) as __total from ${byCustomer ? from : invoices} ${where}) t
         left join page p on true
        order by ${order('p')}`,
      [...where.params, page.perPage, (page.page - 1) * page.perPage, ...where.params],
    );
    const totalCount = Number(rows[0]?.__total ?? 0);
    const invoice = this.sql.mapper(InvoiceSchema);
    const metadata = this.sql.mapper(InvoiceMetadataSchema);
    const customer = this.sql.mapper(CustomerSchema);
    const items: InvoiceSummary[] = [];
    const customers: Customer[] = [];
    const connections = new Map<Id, ConnectionLabel>();
    for (const row of rows) {
      if (row.id === null) continue;
      items.push(
        toInvoiceSummary(
          invoice(row),
          row.__metadata.map((m) => toMetadataEntry(metadata(m))),
        ),
      );
      for (const embedded of row.__customers ?? []) {
        const owner = toCustomer(customer(embedded.customer));
        customers.push(owner);
        const connectionId = owner.billing.provider === 'stripe' ? owner.billing.connectionId : null;
        if (connectionId !== null && embedded.connection !== null)
          connections.set(connectionId, embedded.connection);
      }
    }
    return { items, totalCount, customers, connections };
  }

  /** Stripe attempts and manual payments together, newest first. */
  payments(
    organizationId: Id,
    filter: PaymentFilter,
    page: PageRequest,
  ): Promise<Page<Payment | ManualPayment>> {
    const where = new Where().add('x.organization_id = ?', organizationId);
    // A deleted customer's external id may belong to a new customer now.
    if (filter.externalCustomerId !== undefined)
      where.add('c.external_id = ? and c.deleted_at is null', filter.externalCustomerId);
    if (filter.customerId !== undefined) where.add('x.customer_id = ?', filter.customerId);
    if (filter.invoiceId !== undefined) where.add('x.invoice_id = ?', filter.invoiceId);
    return this.#page(
      organizationId,
      [
        '(select id, organization_id, customer_id, invoice_id, created_at from',
        this.sql.table('payments'),
        'union all select id, organization_id, customer_id, invoice_id, created_at from',
        `${this.sql.table('manual_payments')}) x`,
        `join ${this.sql.table('customers')} c on c.id = x.customer_id`,
      ].join(' '),
      where,
      'x.created_at desc, x.id asc',
      page,
      oneByOne(async (tx, id) => (await tx.payments.findById(id)) ?? (await tx.manualPayments.findById(id))),
    );
  }

  creditNotes(organizationId: Id, filter: CreditNoteFilter, page: PageRequest): Promise<Page<CreditNote>> {
    const where = new Where().add('x.organization_id = ?', organizationId);
    // A deleted customer's external id may belong to a new customer now.
    if (filter.externalCustomerId !== undefined)
      where.add('c.external_id = ? and c.deleted_at is null', filter.externalCustomerId);
    if (filter.customerId !== undefined) where.add('x.customer_id = ?', filter.customerId);
    if (filter.currency !== undefined) where.add('x.currency = ?', filter.currency);
    if (filter.reason !== undefined) where.add('x.reason = ?', filter.reason);
    if (filter.creditStatus !== undefined) where.add('x.credit_status = ?', filter.creditStatus);
    if (filter.refundStatus !== undefined) where.add('r.status = ?', filter.refundStatus);
    if (filter.issuingDateFrom !== undefined) where.add('x.issuing_date >= ?::date', filter.issuingDateFrom);
    if (filter.issuingDateTo !== undefined) where.add('x.issuing_date <= ?::date', filter.issuingDateTo);
    if (filter.amountFrom !== undefined) where.add('x.total_amount_cents >= ?', filter.amountFrom);
    if (filter.amountTo !== undefined) where.add('x.total_amount_cents <= ?', filter.amountTo);
    if (filter.invoiceNumber !== undefined) where.add('i.number = ?', filter.invoiceNumber);
    if (filter.searchTerm) {
      const like = likePattern(filter.searchTerm);
      where.add('(x.number ilike ? or c.external_id ilike ? or c.name ilike ?)', like, like, like);
    }
    const from = [
      `${this.sql.table('credit_notes')} x`,
      `join ${this.sql.table('customers')} c on c.id = x.customer_id`,
      `join ${this.sql.table('invoices')} i on i.id = x.invoice_id`,
      `left join ${this.sql.table('refunds')} r on r.credit_note_id = x.id`,
    ].join(' ');
    return this.#page(
      organizationId,
      from,
      where,
      'x.created_at desc, x.id asc',
      page,
      oneByOne((tx, id) => tx.creditNotes.findById(id)),
    );
  }

  paymentRequests(
    organizationId: Id,
    filter: PaymentRequestFilter,
    page: PageRequest,
  ): Promise<Page<PaymentRequest>> {
    const where = new Where().add('x.organization_id = ?', organizationId);
    // A deleted customer's external id may belong to a new customer now.
    if (filter.externalCustomerId !== undefined)
      where.add('c.external_id = ? and c.deleted_at is null', filter.externalCustomerId);
    if (filter.customerId !== undefined) where.add('x.customer_id = ?', filter.customerId);
    if (filter.paymentStatus !== undefined) where.add('x.payment_status = ?', filter.paymentStatus);
    if (filter.currency !== undefined) where.add('x.currency = ?', filter.currency.toUpperCase());
    return this.#page(
      organizationId,
      `${this.sql.table('payment_requests')} x join ${this.sql.table('customers')} c on c.id = x.customer_id`,
      where,
      'x.created_at desc, x.id asc',
      page,
      oneByOne((tx, id) => tx.paymentRequests.findById(id)),
    );
  }
}
