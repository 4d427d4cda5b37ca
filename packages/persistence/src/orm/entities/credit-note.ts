import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { amount, createdAt, currency, updatedAt, uuidPk, version } from './common.js';
import { CustomerSchema } from './customer.js';
import { FeeSchema, InvoiceSchema } from './invoice.js';
import { OrganizationSchema } from './organization.js';
import { PaymentSchema } from './payment.js';

export const CreditNoteSchema = defineEntity({
  name: 'CreditNote',
  tableName: 'credit_notes',
  uniques: [{ properties: ['invoice', 'sequentialId'], name: 'credit_notes_invoice_sequential_id_unique' }],
  properties: (p) => ({
    id: uuidPk(),
    // Financial records outlive a mistaken organization delete (decision 0303).
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('restrict'),
    invoice: () => p.manyToOne(InvoiceSchema).mapToPk().deleteRule('restrict'),
    customer: () => p.manyToOne(CustomerSchema).mapToPk().deleteRule('restrict'),
    sequentialId: p.integer(),
    number: p.string(),
    issuingDate: p.date(),
    reason: p.string(),
    description: p.text().nullable(),
    currency: currency(),
    creditAmountCents: amount(),
    refundAmountCents: amount(),
    offsetAmountCents: amount(),
    totalAmountCents: amount(),
    balanceAmountCents: amount(),
    /** `available`, `consumed`, `voided`. */
    creditStatus: p.string(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type CreditNoteRow = InferEntity<typeof CreditNoteSchema>;

export const CreditNoteItemSchema = defineEntity({
  name: 'CreditNoteItem',
  tableName: 'credit_note_items',
  properties: (p) => ({
    id: uuidPk(),
    creditNote: () => p.manyToOne(CreditNoteSchema).mapToPk().deleteRule('cascade').index(),
    position: p.integer(),
    fee: () => p.manyToOne(FeeSchema).mapToPk().deleteRule('restrict'),
    amountCents: amount(),
  }),
});
export type CreditNoteItemRow = InferEntity<typeof CreditNoteItemSchema>;

/** The refund of one credit note (at most one), sent to the provider by a job. */
export const RefundSchema = defineEntity({
  name: 'Refund',
  tableName: 'refunds',
  uniques: [{ properties: ['providerRefundId'], name: 'refunds_provider_refund_unique' }],
  properties: (p) => ({
    id: uuidPk(),
    creditNote: () => p.manyToOne(CreditNoteSchema).mapToPk().deleteRule('cascade').unique(),
    payment: () => p.manyToOne(PaymentSchema).mapToPk().deleteRule('restrict'),
    providerPaymentId: p.string(),
    amountCents: amount(),
    currency: currency(),
    providerRefundId: p.string().nullable(),
    /** `pending`, `succeeded`, `failed`. */
    status: p.string(),
    refundedAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    failureCode: p.string().nullable(),
    failureMessage: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type RefundRow = InferEntity<typeof RefundSchema>;
