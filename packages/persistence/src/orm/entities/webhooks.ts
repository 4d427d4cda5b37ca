import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common.js';
import { OrganizationSchema } from './organization.js';

export const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  uniques: [{ properties: ['organization', 'webhookUrl'], name: 'webhook_endpoints_org_url_unique' }],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    webhookUrl: p.text(),
    /** `jwt` (RS256) or `hmac` (HMAC-SHA256 with the organization's key). */
    signatureAlgo: p.string(),
    name: p.string().nullable(),
    /** null means every event type. */
    eventTypes: p.json<string[]>().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type WebhookEndpointRow = InferEntity<typeof WebhookEndpointSchema>;

/** Outbox: one row per domain event to announce, written in the transaction that caused it. */
export const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  indexes: [{ properties: ['organization', 'createdAt'], name: 'webhook_events_org_created_index' }],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    /** Lago's `webhook_type`, e.g. `invoice.payment_status_updated`. */
    webhookType: p.string(),
    objectType: p.string(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: createdAt(),
  }),
});
export type WebhookEventRow = InferEntity<typeof WebhookEventSchema>;

/** Every delivery attempt of one event to one endpoint, successful or not. */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  indexes: [{ properties: ['event', 'endpoint'], name: 'webhook_deliveries_event_endpoint_index' }],
  properties: (p) => ({
    id: uuidPk(),
    event: () => p.manyToOne(WebhookEventSchema).mapToPk().deleteRule('cascade'),
    endpoint: () => p.manyToOne(WebhookEndpointSchema).mapToPk().deleteRule('cascade'),
    attempt: p.integer(),
    succeeded: p.boolean(),
    httpStatus: p.integer().nullable(),
    /** The first bytes of the receiver's answer, for debugging a failing endpoint. */
    responseExcerpt: p.text().nullable(),
    error: p.text().nullable(),
    durationMs: p.integer(),
    attemptedAt: p.datetime(),
  }),
});
export type WebhookDeliveryRow = InferEntity<typeof WebhookDeliverySchema>;
