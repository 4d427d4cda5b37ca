import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CurrencyCode,
  Fee,
  FinalizedInvoice,
  Id,
  Invoice,
  InvoiceMetadataEntry,
  InvoicePayment,
  InvoiceRepository,
  InvoiceSummary,
  PaymentWaitReason,
} from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import {
  type FeeRow,
  FeeSchema,
  type InvoiceMetadataRow,
  InvoiceMetadataSchema,
  type InvoiceRow,
  InvoiceSchema,
} from '../orm/entities/invoice.js';
import { quoteIdent } from '../sql/quote.js';
import { rowMapper, sqlRows } from '../sql/rows.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;

/**
 * Invoices with their fees. Fees are written with the invoice and rewritten only while it is a
 * draft: a finalized invoice's lines never change.
 */
export class SqlInvoiceRepository implements InvoiceRepository {
  /**
   * In a unit of work: the metadata each invoice had when this transaction read it, by version, so
   * an update that leaves the metadata as read does not rewrite it (decision 0911). Null for the
   * shared read repositories, which never write and must not hold on to what they read.
   */
  readonly #loaded: Map<Id, { readonly version: number; readonly metadata: string }> | null;

  constructor(
    private readonly em: EntityManager,
    private readonly schema: string,
    inUnitOfWork = false,
  ) {
    this.#loaded = inUnitOfWork ? new Map() : null;
  }

  async findById(id: Id): Promise<Invoice | null> {
    const [invoice] = await this.findByIds([id]);
    return invoice ?? null;
  }

  /** The invoices with their fees and metadata, in one statement. */
  async findByIds(ids: readonly Id[]): Promise<readonly Invoice[]> {
    if (ids.length === 0) return [];
    const s = quoteIdent(this.schema);
    const raws = await sqlRows<Record<string, unknown> & { __fees: unknown[]; __metadata: unknown[] }>(
      this.em,
      `select i.*,
              coalesce((select json_agg(f order by f."position") from ${s}."fees" f where f."invoice_id" = i."id"), '[]') as "__fees",
              coalesce((select json_agg(m order by m."position") from ${s}."invoice_metadata" m where m."invoice_id" = i."id"), '[]') as "__metadata"
         from ${s}."invoices" i where i."id" = any($1::uuid[])`,
      [ids],
    );
    const invoice = rowMapper(this.em, InvoiceSchema);
    const fee = rowMapper(this.em, FeeSchema);
    const metadata = rowMapper(this.em, InvoiceMetadataSchema);
    return raws.map((raw) => {
      const read = toInvoice(
        invoice(raw),
        raw.__fees.map((f) => toFee(fee(f as Record<string, unknown>))),
        raw.__metadata.map((m) => toMetadataEntry(metadata(m as Record<string, unknown>))),
      );
      this.#loaded?.set(read.id, { version: read.version, metadata: metadataKey(read.metadata) });
      return read;
    });
  }

  async listAwaitingCollection(customerId: Id): Promise<readonly FinalizedInvoice[]> {
    const rows = await this.em.find(
      InvoiceSchema,
      {
        customer: customerId,
        status: 'finalized',
        paymentStatus: 'pending',
        inFlightPaymentId: null,
        paymentDisputeLostAt: null,
      },
      { ...READ, orderBy: { sequentialId: 'asc' } },
    );
    return (await this.withFees(rows)).filter((i): i is FinalizedInvoice => i.status === 'finalized');
  }

  async claimForPaymentMethodCheck(query: {
    readonly now: Date;
    readonly firstCheckAfterMs: number;
    readonly maxIntervalMs: number;
    readonly limit: number;
    readonly perOrganization: number;
  }): Promise<readonly { readonly organizationId: Id; readonly customerId: Id; readonly invoiceId: Id }[]> {
    const s = quoteIdent(this.schema);
    // One statement: group the waiting invoices per customer, work out each customer's due time
    // (fresh backoff when an invoice started waiting after the last look), take the fair share per
    // organization, and move each claimed customer's next look forward (doubling, capped).
    const claimed: { customer_id: string; invoice_id: string; organization_id: string }[] =
      await this.em.execute(
        `with waiting as (
           select i."customer_id", i."organization_id",
                  (array_agg(i."id" order by i."finalized_at", i."sequential_id", i."id"))[1] as "invoice_id",
                  max(i."updated_at") as "since"
             from ${s}."invoices" i
            where i."status" = 'finalized' and i."payment_status" = 'pending'
              and (i."payment_waiting_for" = 'no_payment_method' or i."payment_waiting_for" is null)
              and i."in_flight_payment_id" is null and i."payment_dispute_lost_at" is null
            group by i."customer_id", i."organization_id"
         ), scored as (
           select w."customer_id", w."organization_id", w."invoice_id",
                  case when c."method_checked_at" is null or w."since" > c."method_checked_at"
                       then w."since" + make_interval(secs => ?::float8 / 1000)
                       else c."method_check_at" end as "due_at",
                  case when c."method_checked_at" is null or w."since" > c."method_checked_at"
                       then 0 else c."method_checks" end as "checks"
             from waiting w join ${s}."customers" c on c."id" = w."customer_id"
         ), due as (
           select "customer_id", "organization_id", "invoice_id", "checks" from (
             select sc.*, row_number() over (
                      partition by "organization_id" order by "due_at", "customer_id"
                    ) as "rank"
               from scored sc
           ) ranked
           where "due_at" <= ?::timestamptz and "rank" <= ?
           order by "due_at", "customer_id"
           limit ?
         )
         update ${s}."customers" c
            set "method_checks" = due."checks" + 1,
                "method_checked_at" = ?::timestamptz,
                "method_check_at" = ?::timestamptz + make_interval(secs => least(?::float8, ?::float8 * power(2, least(due."checks", 30))) / 1000)
           from due where c."id" = due."customer_id"
         returning due."customer_id", due."invoice_id", due."organization_id"`,
        [
          query.firstCheckAfterMs,
          query.now,
          query.perOrganization,
          query.limit,
          query.now,
          query.now,
          query.maxIntervalMs,
          query.firstCheckAfterMs,
        ],
      );
    return claimed.map((c) => ({
      organizationId: c.organization_id,
      customerId: c.customer_id,
      invoiceId: c.invoice_id,
    }));
  }

  async insert(invoice: Invoice): Promise<Invoice> {
    const target = { entity: 'invoice', id: invoice.id, version: invoice.version };
    await guardWrite(target, async () => {
      await this.em.insert(InvoiceSchema, toRow(invoice));
      if (invoice.fees.length > 0) await this.em.insertMany(FeeSchema, feeRows(invoice));
      if (invoice.metadata.length > 0) await this.em.insertMany(InvoiceMetadataSchema, metadataRows(invoice));
    });
    return invoice;
  }

  async update(next: Invoice): Promise<Invoice> {
    const { id: _id, organization: _org, customer: _customer, createdAt: _created, ...changes } = toRow(next);
    const stored = await casUpdate(this.em, 'Invoice', 'invoice', next, changes);
    // Written after the version check, so only the winner of a race replaces the metadata. The
    // version check also proves the rows are still the ones this transaction read at that version
    // (only this method and `insert` write them, always with the invoice): unchanged, they stay.
    const metadata = metadataKey(next.metadata);
    const loaded = this.#loaded?.get(next.id);
    if (loaded === undefined || loaded.version !== next.version || loaded.metadata !== metadata) {
      await guardWrite({ entity: 'invoice', id: next.id, version: next.version }, async () => {
        await this.em.nativeDelete(InvoiceMetadataSchema, { invoice: next.id });
        if (next.metadata.length > 0) await this.em.insertMany(InvoiceMetadataSchema, metadataRows(next));
      });
    }
    this.#loaded?.set(next.id, { version: stored.version, metadata });
    if (next.status === 'draft') {
      const target = { entity: 'invoice', id: next.id, version: next.version };
      await guardWrite(target, async () => {
        await this.em.nativeDelete(FeeSchema, { invoice: next.id });
        if (next.fees.length > 0) await this.em.insertMany(FeeSchema, feeRows(next));
      });
    }
    return stored;
  }

  private async withFees(rows: readonly InvoiceRow[]): Promise<Invoice[]> {
    if (rows.length === 0) return [];
    const fees = await this.em.find(
      FeeSchema,
      { invoice: { $in: rows.map((r) => r.id) } },
      { ...READ, orderBy: { position: 'asc' } },
    );
    const metadata = await this.em.find(
      InvoiceMetadataSchema,
      { invoice: { $in: rows.map((r) => r.id) } },
      { ...READ, orderBy: { position: 'asc' } },
    );
    const byInvoice = new Map<string, Fee[]>();
    for (const fee of fees) {
      const list = byInvoice.get(fee.invoice) ?? [];
      list.push(toFee(fee));
      byInvoice.set(fee.invoice, list);
    }
    const metadataByInvoice = new Map<string, InvoiceMetadataEntry[]>();
    for (const m of metadata) {
      const list = metadataByInvoice.get(m.invoice) ?? [];
      list.push(toMetadataEntry(m));
      metadataByInvoice.set(m.invoice, list);
    }
    return rows.map((row) =>
      toInvoice(row, byInvoice.get(row.id) ?? [], metadataByInvoice.get(row.id) ?? []),
    );
  }
}

/** The metadata as written: ids, keys, values, creation times, in order. */
function metadataKey(metadata: readonly InvoiceMetadataEntry[]): string {
  return JSON.stringify(metadata.map((m) => [m.id, m.key, m.value, m.createdAt.getTime()]));
}

function metadataRows(invoice: Invoice) {
  return invoice.metadata.map((m, position) => ({
    id: m.id,
    invoice: invoice.id,
    position,
    key: m.key,
    value: m.value,
    createdAt: m.createdAt,
  }));
}

function feeRows(invoice: Invoice) {
  return invoice.fees.map((f, position) => ({
    id: f.id,
    invoice: invoice.id,
    position,
    addOn: f.addOnId,
    addOnCode: f.addOnCode,
    name: f.name,
    invoiceDisplayName: f.invoiceDisplayName,
    description: f.description,
    units: f.units,
    unitAmountCents: f.unitAmountCents,
    amountCents: f.amountCents,
    currency: f.currency,
  }));
}

function toRow(i: Invoice) {
  const document =
    i.status === 'draft'
      ? { sequentialId: null, number: null, issuingDate: null, finalizedAt: null, voidedAt: null }
      : {
          sequentialId: i.sequentialId,
          number: i.number,
          issuingDate: i.issuingDate,
          finalizedAt: i.finalizedAt,
          voidedAt: i.status === 'voided' ? i.voidedAt : null,
        };
  return {
    id: i.id,
    organization: i.organizationId,
    customer: i.customerId,
    invoiceType: i.invoiceType,
    status: i.status,
    ...document,
    currency: i.currency,
    feesAmountCents: i.feesAmountCents,
    taxesAmountCents: i.taxesAmountCents,
    totalAmountCents: i.totalAmountCents,
    totalPaidAmountCents: i.totalPaidAmountCents,
    creditedCreditCents: i.credited.creditCents,
    creditedRefundCents: i.credited.refundCents,
    creditedOffsetCents: i.credited.offsetCents,
    ...paymentColumns(i.payment),
    paymentDisputeLostAt: i.paymentDisputeLostAt,
    version: i.version,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

function paymentColumns(p: InvoicePayment) {
  switch (p.status) {
    case 'pending':
      return {
        paymentStatus: p.status,
        inFlightPaymentId: p.inFlightPaymentId,
        paymentWaitingFor: p.waitingFor,
        paymentId: null,
        paymentSettledAt: null,
        paymentFailureCode: null,
        paymentFailureMessage: null,
      };
    case 'succeeded':
      return {
        paymentStatus: p.status,
        inFlightPaymentId: null,
        paymentWaitingFor: null,
        paymentId: p.paymentId,
        paymentSettledAt: p.succeededAt,
        paymentFailureCode: null,
        paymentFailureMessage: null,
      };
    case 'failed':
      return {
        paymentStatus: p.status,
        inFlightPaymentId: null,
        paymentWaitingFor: null,
        paymentId: p.paymentId,
        paymentSettledAt: p.failedAt,
        paymentFailureCode: p.failure.code,
        paymentFailureMessage: p.failure.message,
      };
  }
}

function toPayment(row: InvoiceRow): InvoicePayment {
  const settledAt = row.paymentSettledAt ?? row.updatedAt;
  switch (row.paymentStatus) {
    case 'succeeded':
      return { status: 'succeeded', succeededAt: settledAt, paymentId: row.paymentId ?? null };
    case 'failed':
      return {
        status: 'failed',
        failedAt: settledAt,
        paymentId: row.paymentId ?? null,
        failure: { code: row.paymentFailureCode ?? '', message: row.paymentFailureMessage ?? '' },
      };
    default:
      return {
        status: 'pending',
        inFlightPaymentId: row.inFlightPaymentId ?? null,
        waitingFor: (row.paymentWaitingFor ?? null) as PaymentWaitReason | null,
      };
  }
}

export function toMetadataEntry(m: InvoiceMetadataRow): InvoiceMetadataEntry {
  return { id: m.id, key: m.key, value: m.value, createdAt: m.createdAt };
}

function toFee(row: FeeRow): Fee {
  return {
    id: row.id,
    addOnId: row.addOn,
    addOnCode: row.addOnCode,
    name: row.name,
    invoiceDisplayName: row.invoiceDisplayName ?? null,
    description: row.description ?? null,
    units: row.units,
    unitAmountCents: row.unitAmountCents,
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
  };
}

function toInvoice(
  row: InvoiceRow,
  fees: readonly Fee[],
  metadata: readonly InvoiceMetadataEntry[],
): Invoice {
  return { ...toInvoiceSummary(row, metadata), fees };
}

/** The invoice without its fee lines (a list's read). */
export function toInvoiceSummary(row: InvoiceRow, metadata: readonly InvoiceMetadataEntry[]): InvoiceSummary {
  const base = {
    id: row.id,
    organizationId: row.organization,
    customerId: row.customer,
    invoiceType: 'one_off' as const,
    currency: row.currency as CurrencyCode,
    metadata,
    feesAmountCents: row.feesAmountCents,
    taxesAmountCents: row.taxesAmountCents,
    totalAmountCents: row.totalAmountCents,
    totalPaidAmountCents: row.totalPaidAmountCents,
    credited: {
      creditCents: row.creditedCreditCents,
      refundCents: row.creditedRefundCents,
      offsetCents: row.creditedOffsetCents,
    },
    payment: toPayment(row),
    paymentDisputeLostAt: row.paymentDisputeLostAt ?? null,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  if (row.status === 'draft') return { ...base, status: 'draft' };
  const document = {
    sequentialId: row.sequentialId ?? 0,
    number: row.number ?? '',
    issuingDate: dateOnly(row.issuingDate),
    finalizedAt: row.finalizedAt ?? row.updatedAt,
  };
  if (row.status === 'voided')
    return { ...base, ...document, status: 'voided', voidedAt: row.voidedAt ?? row.updatedAt };
  return { ...base, ...document, status: 'finalized' };
}

/** `date` columns come back as `YYYY-MM-DD` strings (or Dates from a raw driver read). */
export function dateOnly(value: string | Date | null | undefined): string {
  if (value == null) return '';
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
