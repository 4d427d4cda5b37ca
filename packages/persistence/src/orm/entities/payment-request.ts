import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { amount, createdAt, currency, updatedAt, uuidPk, version } from './common.js';
import { CustomerSchema } from './customer.js';
import { OrganizationSchema } from './organization.js';

/** One invoice of a request and what was due on it: `PaymentRequestItem` as JSON. */
export interface StoredPaymentRequestItem {
  readonly invoiceId: string;
  readonly amountCents: number;
}

/**
 * Lago's payment requests: several overdue invoices of one customer collected as one payment. The
 * invoices are kept in order with their amounts as JSON (read and written only with the request);
 * the attempt's `payments` row points back with `payment_request_id` (decision 0270).
 */
export const PaymentRequestSchema = defineEntity({
  name: 'PaymentRequest',
  tableName: 'payment_requests',
  indexes: [
    { properties: ['organization', 'createdAt'], name: 'payment_requests_organization_created_index' },
    { properties: ['customer'], name: 'payment_requests_customer_index' },
  ],
  properties: (p) => ({
    id: uuidPk(),
    // Financial records outlive a mistaken organization delete (decision 0303).
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('restrict'),
    customer: () => p.manyToOne(CustomerSchema).mapToPk().deleteRule('restrict'),
    email: p.string().nullable(),
    items: p.json<StoredPaymentRequestItem[]>(),
    amountCents: amount(),
    currency: currency(),
    /** `pending`, `succeeded`, `failed`. */
    paymentStatus: p.string(),
    /** The request's one attempt; no foreign key, as payments point back at their request. */
    paymentId: p.uuid().nullable(),
    succeededAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    failureCode: p.string().nullable(),
    failureMessage: p.text().nullable(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type PaymentRequestRow = InferEntity<typeof PaymentRequestSchema>;
