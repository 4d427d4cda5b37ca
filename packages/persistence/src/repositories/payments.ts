import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CurrencyCode,
  Id,
  InFlightPayment,
  Payment,
  PaymentRepository,
  PaymentStatus,
} from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type PaymentRow, PaymentSchema } from '../orm/entities/payment.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;
const IN_FLIGHT = ['pending', 'processing', 'requires_action'];

export class SqlPaymentRepository implements PaymentRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<Payment | null> {
    const row = await this.em.findOne(PaymentSchema, { id }, READ);
    return row === null ? null : toPayment(row);
  }

  async findByProviderPaymentId(connectionId: Id, providerPaymentId: string): Promise<Payment | null> {
    const row = await this.em.findOne(PaymentSchema, { connection: connectionId, providerPaymentId }, READ);
    return row === null ? null : toPayment(row);
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

  async listStale(query: {
    readonly statuses: readonly PaymentStatus[];
    readonly updatedBefore: Date;
    readonly limit: number;
  }): Promise<readonly Payment[]> {
    const rows = await this.em.find(
      PaymentSchema,
      { status: { $in: [...query.statuses] }, updatedAt: { $lt: query.updatedBefore } },
      { ...READ, orderBy: { updatedAt: 'asc', id: 'asc' }, limit: query.limit },
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
    customerId: row.customer,
    connectionId: row.connection,
    providerCustomerId: row.providerCustomerId,
    providerPaymentMethodId: row.providerPaymentMethodId,
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
    providerPaymentId: row.providerPaymentId ?? null,
    providerStatus: row.providerStatus ?? null,
    request: row.providerRequest ?? null,
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
