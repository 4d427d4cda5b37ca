import type { EntityManager } from '@mikro-orm/postgresql';
import type { CurrencyCode, Id, PaymentRequest, PaymentRequestRepository } from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type PaymentRequestRow, PaymentRequestSchema } from '../orm/entities/payment-request.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;

export class SqlPaymentRequestRepository implements PaymentRequestRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<PaymentRequest | null> {
    const row = await this.em.findOne(PaymentRequestSchema, { id }, READ);
    return row === null ? null : toPaymentRequest(row);
  }

  async insert(request: PaymentRequest): Promise<PaymentRequest> {
    const target = { entity: 'payment_request', id: request.id, version: request.version };
    await guardWrite(target, () => this.em.insert(PaymentRequestSchema, toPaymentRequestRow(request)));
    return request;
  }

  async update(next: PaymentRequest): Promise<PaymentRequest> {
    const {
      id: _id,
      organization: _org,
      customer: _customer,
      createdAt: _created,
      ...changes
    } = toPaymentRequestRow(next);
    return casUpdate(this.em, 'PaymentRequest', 'payment_request', next, changes);
  }
}

export function toPaymentRequestRow(r: PaymentRequest) {
  return {
    id: r.id,
    organization: r.organizationId,
    customer: r.customerId,
    email: r.email,
    items: r.items.map((item) => ({ invoiceId: item.invoiceId, amountCents: item.amountCents })),
    amountCents: r.amountCents,
    currency: r.currency,
    paymentStatus: r.paymentStatus,
    paymentId: r.paymentId,
    succeededAt: r.paymentStatus === 'succeeded' ? r.succeededAt : null,
    failedAt: r.paymentStatus === 'failed' ? r.failedAt : null,
    failureCode: r.paymentStatus === 'failed' ? r.failure.code : null,
    failureMessage: r.paymentStatus === 'failed' ? r.failure.message : null,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toPaymentRequest(row: PaymentRequestRow): PaymentRequest {
  const base = {
    id: row.id,
    organizationId: row.organization,
    customerId: row.customer,
    email: row.email ?? null,
    items: row.items.map((item) => ({ invoiceId: item.invoiceId, amountCents: item.amountCents })),
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
    paymentId: row.paymentId ?? null,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  switch (row.paymentStatus) {
    case 'pending':
      return { ...base, paymentStatus: 'pending' };
    case 'succeeded':
      if (!base.paymentId || !row.succeededAt)
        throw new Error(`payment request ${row.id}: succeeded without its payment`);
      return { ...base, paymentStatus: 'succeeded', paymentId: base.paymentId, succeededAt: row.succeededAt };
    case 'failed':
      return {
        ...base,
        paymentStatus: 'failed',
        failedAt: row.failedAt ?? row.updatedAt,
        failure: { code: row.failureCode ?? 'unknown', message: row.failureMessage ?? '' },
      };
    default:
      throw new Error(`payment request ${row.id}: unknown payment status ${row.paymentStatus}`);
  }
}
