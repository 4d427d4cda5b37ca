import type { EntityManager } from '@mikro-orm/postgresql';
import type { CurrencyCode, Id, ManualPayment, ManualPaymentRepository } from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type ManualPaymentRow, ManualPaymentSchema } from '../orm/entities/manual-payment.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;

export class SqlManualPaymentRepository implements ManualPaymentRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<ManualPayment | null> {
    const row = await this.em.findOne(ManualPaymentSchema, { id }, READ);
    return row === null ? null : toManualPayment(row);
  }

  async listByInvoice(invoiceId: Id): Promise<readonly ManualPayment[]> {
    const rows = await this.em.find(
      ManualPaymentSchema,
      { invoice: invoiceId },
      { ...READ, orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map(toManualPayment);
  }

  async insert(payment: ManualPayment): Promise<ManualPayment> {
    const target = { entity: 'manual_payment', id: payment.id, version: payment.version };
    await guardWrite(target, () => this.em.insert(ManualPaymentSchema, toRow(payment)));
    return payment;
  }

  async update(next: ManualPayment): Promise<ManualPayment> {
    const {
      id: _id,
      organization: _org,
      invoice: _inv,
      customer: _c,
      createdAt: _created,
      ...changes
    } = toRow(next);
    return casUpdate(this.em, 'ManualPayment', 'manual_payment', next, changes);
  }
}

function toRow(m: ManualPayment) {
  return {
    id: m.id,
    organization: m.organizationId,
    invoice: m.invoiceId,
    customer: m.customerId,
    amountCents: m.amountCents,
    currency: m.currency,
    reference: m.reference,
    paidAt: m.paidAt,
    version: m.version,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

function toManualPayment(row: ManualPaymentRow): ManualPayment {
  return {
    id: row.id,
    organizationId: row.organization,
    invoiceId: row.invoice,
    customerId: row.customer,
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
    reference: row.reference,
    paidAt: row.paidAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
