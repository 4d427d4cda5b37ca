import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CurrencyCode,
  Id,
  InFlightPayment,
  Payment,
  PaymentCheckout,
  PaymentRepository,
} from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type PaymentRow, PaymentSchema, type StoredCheckout } from '../orm/entities/payment.js';
import { quoteIdent } from '../sql/quote.js';
import { selectRows } from '../sql/rows.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;
const IN_FLIGHT = ['pending', 'processing', 'requires_action'];

export class SqlPaymentRepository implements PaymentRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly schema: string,
  ) {}

  async findById(id: Id): Promise<Payment | null> {
    const [row] = await selectRows(this.em, PaymentSchema, 'payments', '"id" = $1', [id]);
    return row === undefined ? null : toPayment(row);
  }

  async findByProviderPaymentId(connectionId: Id, providerPaymentId: string): Promise<Payment | null> {
    const [row] = await selectRows(
      this.em,
      PaymentSchema,
      'payments',
      '"connection_id" = $1 and "provider_payment_id" = $2',
      [connectionId, providerPaymentId],
      'limit 1',
    );
    return row === undefined ? null : toPayment(row);
  }

  async findInFlightForInvoice(invoiceId: Id): Promise<InFlightPayment | null> {
    const row = await this.em.findOne(
      PaymentSchema,
      { invoice: invoiceId, status: { $in: IN_FLIGHT } },
      READ,
    );
    if (row === null) return null;
    const payment = toPayment(row);
    return payment.status === 'succeeded' || payment.status === 'failed' ? null : payment;
  }

  async findInFlightForCustomer(customerId: Id): Promise<InFlightPayment | null> {
    const row = await this.em.findOne(
      PaymentSchema,
      { customer: customerId, status: { $in: IN_FLIGHT } },
      { ...READ, orderBy: { createdAt: 'asc' } },
    );
    if (row === null) return null;
    const payment = toPayment(row);
    return payment.status === 'succeeded' || payment.status === 'failed' ? null : payment;
  }

  async findInFlightForConnection(connectionId: Id): Promise<InFlightPayment | null> {
    const row = await this.em.findOne(
      PaymentSchema,
      { connection: connectionId, status: { $in: IN_FLIGHT } },
      { ...READ, orderBy: { createdAt: 'asc' } },
    );
    if (row === null) return null;
    const payment = toPayment(row);
    return payment.status === 'succeeded' || payment.status === 'failed' ? null : payment;
  }

  async listByInvoice(invoiceId: Id): Promise<readonly Payment[]> {
    const rows = await this.em.find(
      PaymentSchema,
      { invoice: invoiceId },
      { ...READ, orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map(toPayment);
  }

  async claimForReconciliation(query: {
    readonly now: Date;
    readonly firstCheckAfterMs: number;
    readonly maxIntervalMs: number;
    readonly limit: number;
    readonly perOrganization: number;
  }): Promise<readonly Payment[]> {
    const table = `${quoteIdent(this.schema)}."payments"`;
    // One statement: rank the due in-flight rows per organization, take the fair share, and move
    // each claimed row's next check forward (doubling per check, capped) before returning its id.
    const claimed: { id: string }[] = await this.em.execute(
      `with due as (
         select "id", "due_at" from (
           select "id", coalesce("reconcile_at", "updated_at" + make_interval(secs => ?::float8 / 1000)) as "due_at",
                  row_number() over (
                    partition by "organization_id"
                    order by coalesce("reconcile_at", "updated_at" + make_interval(secs => ?::float8 / 1000)), "id"
                  ) as "rank"
           from ${table}
           where "status" in ('pending', 'processing', 'requires_action')
         ) ranked
         where "due_at" <= ?::timestamptz and "rank" <= ?
         order by "due_at", "id"
         limit ?
       )
       update ${table} p
          set "reconcile_checks" = p."reconcile_checks" + 1,
              "reconcile_at" = ?::timestamptz + make_interval(secs => least(?::float8, ?::float8 * power(2, least(p."reconcile_checks", 30))) / 1000)
         from due where p."id" = due."id"
       returning p."id"`,
      [
        query.firstCheckAfterMs,
        query.firstCheckAfterMs,
        query.now,
        query.perOrganization,
        query.limit,
        query.now,
        query.maxIntervalMs,
        query.firstCheckAfterMs,
      ],
    );
    if (claimed.length === 0) return [];
    const rows = await this.em.find(
      PaymentSchema,
      { id: { $in: claimed.map((c) => c.id) } },
      { ...READ, orderBy: { updatedAt: 'asc', id: 'asc' } },
    );
    return rows.map(toPayment);
  }

  async insert(payment: Payment): Promise<Payment> {
    const target = { entity: 'payment', id: payment.id, version: payment.version };
    await guardWrite(target, () => this.em.insert(PaymentSchema, toRow(payment)));
    return payment;
  }

  async update(next: Payment): Promise<Payment> {
    const { id: _id, organization: _org, invoice: _inv, createdAt: _created, ...changes } = toRow(next);
    return casUpdate(this.em, 'Payment', 'payment', next, changes);
  }
}

function toRow(p: Payment) {
  return {
    id: p.id,
    organization: p.organizationId,
    invoice: p.invoiceId,
    paymentRequest: p.paymentRequestId ?? null,
    customer: p.customerId,
    connection: p.connectionId,
    providerCustomerId: p.providerCustomerId,
    providerPaymentMethodId: p.providerPaymentMethodId,
    amountCents: p.amountCents,
    currency: p.currency,
    status: p.status,
    providerPaymentId: p.providerPaymentId,
    providerStatus: p.providerStatus,
    providerRequest: p.request,
    nextAction: p.status === 'requires_action' ? { ...p.nextAction } : null,
    checkout: p.checkout === null ? null : storeCheckout(p.checkout),
    succeededAt: p.status === 'succeeded' ? p.succeededAt : null,
    failedAt: p.status === 'failed' ? p.failedAt : null,
    failureCode: p.status === 'failed' ? p.failure.code : null,
    failureMessage: p.status === 'failed' ? p.failure.message : null,
    canceled: p.status === 'failed' ? p.canceled : null,
    belowMinimum: p.status === 'failed' ? p.belowMinimum : null,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

function toPayment(row: PaymentRow): Payment {
  const base = {
    id: row.id,
    organizationId: row.organization,
    invoiceId: row.invoice,
    ...(row.paymentRequest ? { paymentRequestId: row.paymentRequest } : {}),
    customerId: row.customer,
    connectionId: row.connection,
    providerCustomerId: row.providerCustomerId,
    providerPaymentMethodId: row.providerPaymentMethodId ?? null,
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
    providerPaymentId: row.providerPaymentId ?? null,
    providerStatus: row.providerStatus ?? null,
    request: row.providerRequest ?? null,
    checkout: row.checkout ? loadCheckout(row.checkout) : null,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  switch (row.status) {
    case 'requires_action':
      return {
        ...base,
        status: 'requires_action',
        providerPaymentId: row.providerPaymentId ?? '',
        nextAction: row.nextAction ?? {},
      };
    case 'processing':
      return { ...base, status: 'processing', providerPaymentId: row.providerPaymentId ?? '' };
    case 'succeeded':
      return { ...base, status: 'succeeded', succeededAt: row.succeededAt ?? row.updatedAt };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        failedAt: row.failedAt ?? row.updatedAt,
        failure: { code: row.failureCode ?? '', message: row.failureMessage ?? '' },
        canceled: row.canceled ?? false,
        belowMinimum: row.belowMinimum ?? false,
      };
    default:
      return { ...base, status: 'pending' };
  }
}

function storeCheckout(checkout: PaymentCheckout): StoredCheckout {
  const session = checkout.session;
  return {
    lineItemName: checkout.lineItemName,
    session:
      session === null
        ? null
        : {
            providerSessionId: session.providerSessionId,
            url: session.url,
            expiresAt: session.expiresAt.toISOString(),
          },
  };
}

function loadCheckout(stored: StoredCheckout): PaymentCheckout {
  const session = stored.session;
  return {
    lineItemName: stored.lineItemName,
    session:
      session === null
        ? null
        : {
            providerSessionId: session.providerSessionId,
            url: session.url,
            expiresAt: new Date(session.expiresAt),
          },
  };
}
