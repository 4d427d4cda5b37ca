import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { PaymentRequestSnapshot } from '@payrail/domain';
import { amount, createdAt, currency, updatedAt, uuidPk, version } from './common.js';
import { CustomerSchema } from './customer.js';
import { InvoiceSchema } from './invoice.js';
import { OrganizationSchema } from './organization.js';
import { PaymentRequestSchema } from './payment-request.js';
import { StripeConnectionSchema } from './stripe-connection.js';

/** `PaymentCheckout` as JSON: the expiry as an ISO string. */
export interface StoredCheckout {
  readonly lineItemName: string;
  readonly session: {
    readonly providerSessionId: string;
    readonly url: string;
    readonly expiresAt: string;
  } | null;
}

export const PaymentSchema = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  uniques: [
    {
      // At most one attempt per invoice may be out at the provider: the database backs the rule.
      name: 'payments_one_in_flight_per_invoice',
      expression:
        'create unique index "payments_one_in_flight_per_invoice" on "payments" ("invoice_id") where "status" in (\'pending\', \'processing\', \'requires_action\')',
    },
    {
      properties: ['connection', 'providerPaymentId'],
      name: 'payments_connection_provider_payment_unique',
    },
  ],
  indexes: [
    { properties: ['invoice'], name: 'payments_invoice_index' },
    { properties: ['paymentRequest'], name: 'payments_payment_request_index' },
    { properties: ['status', 'updatedAt'], name: 'payments_status_updated_index' },
    {
      name: 'payments_in_flight_organization_index',
      expression:
        'create index "payments_in_flight_organization_index" on "payments" ("organization_id") where "status" in (\'pending\', \'processing\', \'requires_action\')',
    },
  ],
  properties: (p) => ({
    id: uuidPk(),
    // Financial records outlive a mistaken organization delete (decision 0303).
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('restrict'),
    invoice: () => p.manyToOne(InvoiceSchema).mapToPk().deleteRule('restrict'),
    /** Set when the attempt pays a payment request (every invoice of it); `invoice` is its first. */
    paymentRequest: () => p.manyToOne(PaymentRequestSchema).mapToPk().deleteRule('restrict').nullable(),
    customer: () => p.manyToOne(CustomerSchema).mapToPk().deleteRule('restrict'),
    connection: () => p.manyToOne(StripeConnectionSchema).mapToPk().deleteRule('restrict'),
    providerCustomerId: p.string(),
    /** Null for a payment link: the customer picks the method on Stripe's page. */
    providerPaymentMethodId: p.string().nullable(),
    amountCents: amount(),
    currency: currency(),
    /** `pending`, `processing`, `requires_action`, `succeeded`, `failed`. */
    status: p.string(),
    providerPaymentId: p.string().nullable(),
    providerStatus: p.string().nullable(),
    /** What the attempt sent beyond the columns above; null for rows recorded before it was kept. */
    providerRequest: p.json<PaymentRequestSnapshot>().nullable(),
    nextAction: p.json<Record<string, unknown>>().nullable(),
    /** A payment link's page; null for an off-session charge. */
    checkout: p.json<StoredCheckout>().nullable(),
    succeededAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    failureCode: p.string().nullable(),
    failureMessage: p.text().nullable(),
    canceled: p.boolean().nullable(),
    belowMinimum: p.boolean().nullable(),
    /** Reconciliation bookkeeping (sweep only): when to read the attempt at Stripe again, how often it was. */
    reconcileAt: p.datetime().nullable(),
    reconcileChecks: p.integer().default(0),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type PaymentRow = InferEntity<typeof PaymentSchema>;
