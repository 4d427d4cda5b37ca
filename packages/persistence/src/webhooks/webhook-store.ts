import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WebhookDeliverySchema, WebhookEventSchema } from '../orm/entities/webhooks.js';
import type { JobQueue } from '../queue/job-queue.js';
import { sqlRows, tableName } from '../sql/rows.js';

/** An outbox row: what `tx.outbox.publish` stored for delivery. */
export interface StoredWebhookEvent {
  readonly id: string;
  readonly organizationId: string;
  readonly webhookType: string;
  readonly objectType: string;
  readonly payload: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface DeliveryAttempt {
  readonly eventId: string;
  readonly endpointId: string;
  readonly attempt: number;
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  /** Trimmed to 2 kB here; never pass secrets. */
  readonly responseExcerpt: string | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
}

const READ = { disableIdentityMap: true } as const;
const EXCERPT_LIMIT = 2048;

/**
 * Outgoing webhooks' events and deliveries outside the domain's ports: the outbox rows
 * (`tx.outbox.publish` writes them) and the delivery log, for the worker; a redelivery asked for
 * through the API. Endpoints are `WebhookEndpointStore`'s, the API's view of the log
 * `WebhookDeliveryLog`'s.
 */
export class WebhookStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly queue: Pick<JobQueue, 'enqueue'>,
  ) {}

  async findEvent(eventId: string): Promise<StoredWebhookEvent | null> {
    const row = await this.orm.em.fork().findOne(WebhookEventSchema, { id: eventId }, READ);
    if (row === null) return null;
    return {
      id: row.id,
      organizationId: row.organization,
      webhookType: row.webhookType,
      objectType: row.objectType,
      payload: row.payload,
      createdAt: row.createdAt,
    };
  }

  /**
   * Queues the organization's event again (a `webhook.deliver` marked as a redelivery from
   * `requestedAt`, so every endpoint gets a fresh allowance of attempts); null when the
   * organization has no such event.
   */
  async redeliver(
    organizationId: string,
    eventId: string,
    requestedAt: Date,
  ): Promise<{ readonly webhookType: string; readonly objectType: string } | null> {
    const em = this.orm.em.fork();
    const [event] = await sqlRows<{ webhook_type: string; object_type: string }>(
      em,
      `select "webhook_type", "object_type" from ${tableName(em, 'webhook_events')} where "id" = $1 and "organization_id" = $2`,
      [eventId, organizationId],
    );
    if (!event) return null;
    const from = requestedAt.toISOString();
    await this.queue.enqueue({
      name: 'webhook.deliver',
      payload: { organizationId, eventId, redeliveryFrom: from },
      dedupeKey: `webhook.redeliver:${eventId}:${from}`,
      group: organizationId,
    });
    return { webhookType: event.webhook_type, objectType: event.object_type };
  }

  /** Every attempt is kept, successful or not. */
  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.orm.em.fork().insert(WebhookDeliverySchema, {
      id: randomUUID(),
      event: attempt.eventId,
      endpoint: attempt.endpointId,
      attempt: attempt.attempt,
      succeeded: attempt.succeeded,
      httpStatus: attempt.httpStatus,
      responseExcerpt: attempt.responseExcerpt?.slice(0, EXCERPT_LIMIT) ?? null,
      error: attempt.error?.slice(0, EXCERPT_LIMIT) ?? null,
      durationMs: attempt.durationMs,
      attemptedAt: attempt.attemptedAt,
    });
  }

  /** Endpoints that already accepted the event: a retried delivery job skips them. */
  async deliveredEndpointIds(eventId: string): Promise<Set<string>> {
    const rows = await this.orm.em
      .fork()
      .find(WebhookDeliverySchema, { event: eventId, succeeded: true }, { ...READ, fields: ['endpoint'] });
    return new Set(rows.map((r) => r.endpoint));
  }

  async listAttempts(eventId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        WebhookDeliverySchema,
        { event: eventId },
        { ...READ, orderBy: { attemptedAt: 'asc', attempt: 'asc' } },
      );
    return rows.map((r) => ({
      eventId: r.event,
      endpointId: r.endpoint,
      attempt: r.attempt,
      succeeded: r.succeeded,
      httpStatus: r.httpStatus ?? null,
      responseExcerpt: r.responseExcerpt ?? null,
      error: r.error ?? null,
      durationMs: r.durationMs,
      attemptedAt: r.attemptedAt,
    }));
  }
}
