import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk, version } from './common.js';
import { OrganizationSchema } from './organization.js';
import { StripeConnectionSchema } from './stripe-connection.js';

export const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  uniques: [
    {
      name: 'customers_org_external_id_unique',
      expression:
        'create unique index "customers_org_external_id_unique" on "customers" ("organization_id", "external_id") where "deleted_at" is null',
    },
    { properties: ['organization', 'sequentialId'], name: 'customers_org_sequential_id_unique' },
  ],
  indexes: [
    {
      properties: ['connection', 'providerCustomerId'],
      name: 'customers_connection_provider_customer_index',
    },
  ],
  properties: (p) => ({
    id: uuidPk(),
    // Financial records outlive a mistaken organization delete (decision 0303).
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('restrict'),
    externalId: p.string(),
    sequentialId: p.integer(),
    name: p.string().nullable(),
    firstname: p.string().nullable(),
    lastname: p.string().nullable(),
    email: p.text().nullable(),
    phone: p.string().nullable(),
    currency: p.string().length(3).nullable(),
    addressLine1: p.string().nullable(),
    addressLine2: p.string().nullable(),
    city: p.string().nullable(),
    state: p.string().nullable(),
    zipcode: p.string().nullable(),
    country: p.string().length(2).nullable(),
    /** `none` or `stripe`; the columns below are null when `none`. */
    billingProvider: p.string(),
    connection: () => p.manyToOne(StripeConnectionSchema).mapToPk().nullable().deleteRule('restrict'),
    syncWithProvider: p.boolean().nullable(),
    paymentMethodTypes: p.json<string[]>().nullable(),
    /** `pending`, `linked` or `error`. */
    providerCustomerStatus: p.string().nullable(),
    providerCustomerId: p.string().nullable(),
    providerFailureCode: p.string().nullable(),
    providerFailureMessage: p.text().nullable(),
    /** A plain uuid: payment_methods references customers, so a foreign key here would be a cycle. */
    defaultPaymentMethodId: p.uuid().nullable(),
    defaultPaymentMethodChosenBy: p.string().nullable(),
    /** Sweep bookkeeping (sweep only): next look at the provider for a saved method, how often, when last. */
    methodCheckAt: p.datetime().nullable(),
    methodChecks: p.integer().default(0),
    methodCheckedAt: p.datetime().nullable(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: p.datetime().nullable(),
  }),
});
export type CustomerRow = InferEntity<typeof CustomerSchema>;

export const PaymentMethodSchema = defineEntity({
  name: 'PaymentMethod',
  tableName: 'payment_methods',
  uniques: [
    { properties: ['customer', 'providerPaymentMethodId'], name: 'payment_methods_customer_provider_unique' },
  ],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    customer: () => p.manyToOne(CustomerSchema).mapToPk().deleteRule('cascade'),
    connection: () => p.manyToOne(StripeConnectionSchema).mapToPk().deleteRule('restrict'),
    providerCustomerId: p.string(),
    providerPaymentMethodId: p.string(),
    type: p.string(),
    details: p.json<Record<string, unknown>>().nullable(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: p.datetime().nullable(),
  }),
});
export type PaymentMethodRow = InferEntity<typeof PaymentMethodSchema>;
