import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { amount, createdAt, currency, updatedAt, uuidPk, version } from './common.js';
import { CustomerSchema } from './customer.js';
import { InvoiceSchema } from './invoice.js';
import { OrganizationSchema } from './organization.js';

/** Money recorded through `POST /payments`; never seen by Stripe, so no provider columns. */
export const ManualPaymentSchema = defineEntity({
  name: 'ManualPayment',
  tableName: 'manual_payments',
  indexes: [{ properties: ['invoice'], name: 'manual_payments_invoice_index' }],
  properties: (p) => ({
    id: uuidPk(),
    // Financial records outlive a mistaken organization delete (decision 0303).
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('restrict'),
    invoice: () => p.manyToOne(InvoiceSchema).mapToPk().deleteRule('restrict'),
    customer: () => p.manyToOne(CustomerSchema).mapToPk().deleteRule('restrict'),
    amountCents: amount(),
    currency: currency(),
    reference: p.string(),
    paidAt: p.datetime(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type ManualPaymentRow = InferEntity<typeof ManualPaymentSchema>;
