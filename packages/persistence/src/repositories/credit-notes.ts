import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CreditNote,
  CreditNoteReason,
  CreditNoteRepository,
  CurrencyCode,
  Id,
  Refund,
  RefundState,
} from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import {
  CreditNoteItemSchema,
  type CreditNoteRow,
  CreditNoteSchema,
  type RefundRow,
  RefundSchema,
} from '../orm/entities/credit-note.js';
import { casUpdate } from './cas-update.js';
import { dateOnly } from './invoices.js';

const READ = { disableIdentityMap: true } as const;

/**
 * Credit notes with their items (written once, never changed) and their refund (created with
 * the note or later, then updated as the provider answers).
 */
export class SqlCreditNoteRepository implements CreditNoteRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<CreditNote | null> {
    const row = await this.em.findOne(CreditNoteSchema, { id }, READ);
    return row === null ? null : ((await this.assemble([row]))[0] ?? null);
  }

  async findByRefundId(refundId: Id): Promise<CreditNote | null> {
    const refund = await this.em.findOne(RefundSchema, { id: refundId }, READ);
    return refund === null ? null : this.findById(refund.creditNote);
  }

  async findByProviderRefundId(providerRefundId: string): Promise<CreditNote | null> {
    const refund = await this.em.findOne(RefundSchema, { providerRefundId }, READ);
    return refund === null ? null : this.findById(refund.creditNote);
  }

  async listByInvoice(invoiceId: Id): Promise<readonly CreditNote[]> {
    const rows = await this.em.find(
      CreditNoteSchema,
      { invoice: invoiceId },
      { ...READ, orderBy: { sequentialId: 'asc' } },
    );
    return this.assemble(rows);
  }

  async insert(note: CreditNote): Promise<CreditNote> {
    const target = { entity: 'credit_note', id: note.id, version: note.version };
    await guardWrite(target, async () => {
      await this.em.insert(CreditNoteSchema, toRow(note));
      if (note.items.length > 0) {
        await this.em.insertMany(
          CreditNoteItemSchema,
          note.items.map((item, position) => ({
            id: item.id,
            creditNote: note.id,
            position,
            fee: item.feeId,
            amountCents: item.amountCents,
          })),
        );
      }
      if (note.refund !== null) await this.em.insert(RefundSchema, refundRow(note, note.refund));
    });
    return note;
  }

  async update(next: CreditNote): Promise<CreditNote> {
    const {
      id: _id,
      organization: _org,
      invoice: _inv,
      customer: _cust,
      createdAt: _created,
      ...changes
    } = toRow(next);
    const stored = await casUpdate(this.em, 'CreditNote', 'credit_note', next, changes);
    const refund = next.refund;
    if (refund !== null) {
      const target = { entity: 'credit_note', id: next.id, version: next.version };
      const row = refundRow(next, refund);
      await guardWrite(target, () =>
        this.em.upsert(RefundSchema, row, {
          onConflictFields: ['id'],
          onConflictExcludeFields: ['id', 'creditNote', 'createdAt'],
        }),
      );
    }
    return stored;
  }

  private async assemble(rows: readonly CreditNoteRow[]): Promise<CreditNote[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [items, refunds] = await Promise.all([
      this.em.find(
        CreditNoteItemSchema,
        { creditNote: { $in: ids } },
        { ...READ, orderBy: { position: 'asc' } },
      ),
      this.em.find(RefundSchema, { creditNote: { $in: ids } }, READ),
    ]);
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization,
      invoiceId: row.invoice,
      customerId: row.customer,
      sequentialId: row.sequentialId,
      number: row.number,
      issuingDate: dateOnly(row.issuingDate),
      reason: row.reason as CreditNoteReason,
      description: row.description ?? null,
      currency: row.currency as CurrencyCode,
      items: items
        .filter((i) => i.creditNote === row.id)
        .map((i) => ({ id: i.id, feeId: i.fee, amountCents: i.amountCents })),
      creditAmountCents: row.creditAmountCents,
      refundAmountCents: row.refundAmountCents,
      offsetAmountCents: row.offsetAmountCents,
      totalAmountCents: row.totalAmountCents,
      balanceAmountCents: row.balanceAmountCents,
      creditStatus: row.creditStatus as CreditNote['creditStatus'],
      refund: toRefund(refunds.find((r) => r.creditNote === row.id)),
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }));
  }
}

function toRow(n: CreditNote) {
  return {
    id: n.id,
    organization: n.organizationId,
    invoice: n.invoiceId,
    customer: n.customerId,
    sequentialId: n.sequentialId,
    number: n.number,
    issuingDate: n.issuingDate,
    reason: n.reason,
    description: n.description,
    currency: n.currency,
    creditAmountCents: n.creditAmountCents,
    refundAmountCents: n.refundAmountCents,
    offsetAmountCents: n.offsetAmountCents,
    totalAmountCents: n.totalAmountCents,
    balanceAmountCents: n.balanceAmountCents,
    creditStatus: n.creditStatus,
    version: n.version,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}

function refundRow(note: CreditNote, r: Refund) {
  const s = r.state;
  return {
    id: r.id,
    creditNote: note.id,
    payment: r.paymentId,
    providerPaymentId: r.providerPaymentId,
    amountCents: r.amountCents,
    currency: r.currency,
    providerRefundId: r.providerRefundId,
    status: s.status,
    refundedAt: s.status === 'succeeded' ? s.refundedAt : null,
    failedAt: s.status === 'failed' ? s.failedAt : null,
    failureCode: s.status === 'failed' ? s.failure.code : null,
    failureMessage: s.status === 'failed' ? s.failure.message : null,
    createdAt: note.updatedAt,
    updatedAt: note.updatedAt,
  };
}

function toRefund(row: RefundRow | undefined): Refund | null {
  if (row === undefined) return null;
  return {
    id: row.id,
    paymentId: row.payment,
    providerPaymentId: row.providerPaymentId,
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
    providerRefundId: row.providerRefundId ?? null,
    state: toRefundState(row),
  };
}

function toRefundState(row: RefundRow): RefundState {
  switch (row.status) {
    case 'succeeded':
      return { status: 'succeeded', refundedAt: row.refundedAt ?? row.updatedAt };
    case 'failed':
      return {
        status: 'failed',
        failedAt: row.failedAt ?? row.updatedAt,
        failure: { code: row.failureCode ?? '', message: row.failureMessage ?? '' },
      };
    default:
      return { status: 'pending' };
  }
}
