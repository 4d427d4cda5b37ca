import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { AddOnSchema } from './add-on.js';
import { amount, createdAt, currency, updatedAt, uuidPk, version } from './common.js';
import { CustomerSchema } from './customer.js';
import { OrganizationSchema } from './organization.js';

export const InvoiceSchema = defineEntity({
  name: 'Invoice',
  tableName: 'invoices',
  uniques: [{ properties: ['customer', 'sequentialId'], name: 'invoices_customer_sequential_id_unique' }],
  indexes: [{ properties: ['customer', 'paymentStatus'], name: 'invoices_customer_payment_status_index' }],
  properties: (p) => ({
    id: uuidPk(),
    // Financial records outlive a mistaken organization delete (decision 0303).
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('restrict'),
    customer: () => p.manyToOne(CustomerSchema).mapToPk().deleteRule('restrict'),
    invoiceType: p.string(),
    /** Document axis: `draft`, `finalized`, `voided`. */
    status: p.string(),
    sequentialId: p.integer().nullable(),
    number: p.string().nullable(),
    issuingDate: p.date().nullable(),
    finalizedAt: p.datetime().nullable(),
    voidedAt: p.datetime().nullable(),
    currency: currency(),
    feesAmountCents: amount(),
    taxesAmountCents: amount(),
    totalAmountCents: amount(),
    totalPaidAmountCents: amount(),
    creditedCreditCents: amount(),
    creditedRefundCents: amount(),
    creditedOffsetCents: amount(),
    /** Payment axis: `pending`, `succeeded`, `failed`. */
    paymentStatus: p.string(),
    inFlightPaymentId: p.uuid().nullable(),
    paymentWaitingFor: p.string().nullable(),
    paymentId: p.uuid().nullable(),
    paymentSettledAt: p.datetime().nullable(),
    paymentFailureCode: p.string().nullable(),
    paymentFailureMessage: p.text().nullable(),
    paymentDisputeLostAt: p.datetime().nullable(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type InvoiceRow = InferEntity<typeof InvoiceSchema>;

export const FeeSchema = defineEntity({
  name: 'Fee',
  tableName: 'fees',
  properties: (p) => ({
    id: uuidPk(),
    invoice: () => p.manyToOne(InvoiceSchema).mapToPk().deleteRule('cascade').index(),
    /** Order within the invoice, so fees read back as they were written. */
    position: p.integer(),
    addOn: () => p.manyToOne(AddOnSchema).mapToPk().deleteRule('restrict'),
    addOnCode: p.string(),
    name: p.string(),
    invoiceDisplayName: p.string().nullable(),
    description: p.text().nullable(),
    /** Decimal string as given ("2.5"); numeric would reformat it. */
    units: p.string(),
    unitAmountCents: amount(),
    amountCents: amount(),
    currency: currency(),
  }),
});
export type FeeRow = InferEntity<typeof FeeSchema>;

/** Lago's invoice `metadata[]`: replaced as a whole when the invoice is updated. */
export const InvoiceMetadataSchema = defineEntity({
  name: 'InvoiceMetadata',
  tableName: 'invoice_metadata',
  properties: (p) => ({
    id: uuidPk(),
    invoice: () => p.manyToOne(InvoiceSchema).mapToPk().deleteRule('cascade').index(),
    position: p.integer(),
    key: p.string(),
    value: p.text(),
    createdAt: p.datetime(),
  }),
});
export type InvoiceMetadataRow = InferEntity<typeof InvoiceMetadataSchema>;
