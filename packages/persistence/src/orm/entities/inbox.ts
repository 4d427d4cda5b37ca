import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { uuidPk } from './common.js';
import { OrganizationSchema } from './organization.js';
import { StripeConnectionSchema } from './stripe-connection.js';

/**
 * Inbox of verified Stripe events. The unique (connection, Stripe event id) pair turns a
 * redelivered event into a no-op. Rows are written with raw SQL on the hot path
 * (`insertInboxEvent`); the entity exists for the schema and for reads.
 */
export const InboxEventSchema = defineEntity({
  name: 'InboxEvent',
  tableName: 'stripe_inbox_events',
  uniques: [
    { properties: ['connection', 'stripeEventId'], name: 'stripe_inbox_events_connection_event_unique' },
  ],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    connection: () => p.manyToOne(StripeConnectionSchema).mapToPk().deleteRule('cascade'),
    stripeEventId: p.string(),
    type: p.string(),
    /** Stripe's `created` (seconds since the epoch) as a timestamp: orders out-of-order events. */
    stripeCreatedAt: p.datetime(),
    payload: p.json<Record<string, unknown>>(),
    receivedAt: p.datetime().onCreate(() => new Date()),
    processedAt: p.datetime().nullable(),
    /** Why processing gave up or skipped the event, for operators. */
    outcome: p.string().nullable(),
  }),
});
export type InboxEventRow = InferEntity<typeof InboxEventSchema>;
