import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk, version } from './common.js';
import { OrganizationSchema } from './organization.js';

export const StripeConnectionSchema = defineEntity({
  name: 'StripeConnection',
  tableName: 'stripe_connections',
  uniques: [{ properties: ['organization', 'code'], name: 'stripe_connections_org_code_unique' }],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    /** Lago's `payment_provider_code`. */
    code: p.string(),
    name: p.string(),
    /** `sk_...`, sealed with SecretBox. */
    secretKeySealed: p.text(),
    /** `whsec_...` of the endpoint registered on Stripe, sealed with SecretBox. */
    webhookSecretSealed: p.text(),
    webhookEndpointId: p.string(),
    successRedirectUrl: p.text().nullable(),
    /** Dispute sweep bookkeeping (sweep only): next read, and lost disputes applied up to. */
    disputesCheckAt: p.datetime().nullable(),
    disputesCheckedUntil: p.datetime().nullable(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type StripeConnectionRow = InferEntity<typeof StripeConnectionSchema>;
