import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../crypto/secret-box.js';
import { hmacKeyContext } from '../organizations/organization-store.js';
import { WebhookDeliverySchema, WebhookEventSchema } from '../orm/entities/webhooks.js';
import type { JobQueue } from '../queue/job-queue.js';
import { sqlRows, tableName } from '../sql/rows.js';
import { MAX_WEBHOOK_ENDPOINTS, type SignatureAlgo } from './webhook-endpoint-store.js';

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

/** What one delivery run needs, read in one statement (`WebhookStore.deliveryContext`). */
export interface DeliveryContext {
  readonly event: StoredWebhookEvent;
  /** The organization's endpoints as `WebhookEndpointStore.list` orders them (at most ten). */
  readonly endpoints: readonly {
    readonly id: string;
    readonly webhookUrl: string;
    readonly signatureAlgo: SignatureAlgo;
    readonly eventTypes: readonly string[] | null;
  }[];
  /** Every attempt at this event so far, oldest first. */
  readonly attempts: readonly {
    readonly endpointId: string;
    readonly succeeded: boolean;
    readonly attemptedAt: Date;
  }[];
  /** The organization's document number prefix; null when the organization is gone. */
  readonly documentNumberPrefix: string | null;
  /** The code of each of the organization's Stripe connections, by connection id. */
  readonly connectionCodes: ReadonlyMap<string, string>;
  /** The organization's HMAC key, opened when called; null when the organization is gone. */
  hmacKey(): string | null;
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
  /** One stateless fork for the delivery log's reads and inserts: none of them is in a transaction. */
  readonly #em: EntityManager;

  constructor(
    private readonly orm: MikroORM,
    private readonly queue: Pick<JobQueue, 'enqueue'>,
    private readonly box?: SecretBox,
  ) {
    this.#em = orm.em.fork();
  }

  /**
   * The event, its organization's endpoints, the attempts made so far and the organization's
   * sealed HMAC key, in one statement: a delivery run's reads (they were five). Null when the
   * event is gone.
   */
  async deliveryContext(eventId: string): Promise<DeliveryContext | null> {
    const em = this.#em;
    const [row] = await sqlRows<{
      id: string;
      organization_id: string;
      webhook_type: string;
      object_type: string;
      payload: Record<string, unknown>;
      created_at: Date;
      hmac_key_sealed: string | null;
      document_number_prefix: string | null;
      connections: { id: string; code: string }[];
      endpoints: { id: string; url: string; algo: string; types: string[] | null }[];
      attempts: { endpoint_id: string; succeeded: boolean; attempted_at: string }[];
    }>(
      em,
      `select e."id", e."organization_id", e."webhook_type", e."object_type", e."payload", e."created_at",
              o."hmac_key_sealed", o."document_number_prefix",
              coalesce((select json_agg(json_build_object('id', c."id", 'code', c."code"))
                          from ${tableName(em, 'stripe_connections')} c
                         where c."organization_id" = e."organization_id"), '[]') as "connections",
              coalesce((select json_agg(json_build_object('id', w."id", 'url', w."webhook_url",
                                        'algo', w."signature_algo", 'types', w."event_types"))
                          from (select * from ${tableName(em, 'webhook_endpoints')}
                                 where "organization_id" = e."organization_id"
                                 order by "webhook_url" asc, "id" asc limit ${MAX_WEBHOOK_ENDPOINTS}) w), '[]') as "endpoints",
              coalesce((select json_agg(json_build_object('endpoint_id', d."endpoint_id",
                                        'succeeded', d."succeeded", 'attempted_at', d."attempted_at")
                                        order by d."attempted_at" asc, d."attempt" asc)
                          from ${tableName(em, 'webhook_deliveries')} d where d."event_id" = e."id"), '[]') as "attempts"
         from ${tableName(em, 'webhook_events')} e
         left join ${tableName(em, 'organizations')} o on o."id" = e."organization_id"
        where e."id" = $1`,
      [eventId],
    );
    if (row === undefined) return null;
    const organizationId = row.organization_id;
    const sealed = row.hmac_key_sealed;
    return {
      event: {
        id: row.id,
        organizationId,
        webhookType: row.webhook_type,
        objectType: row.object_type,
        payload: row.payload,
        createdAt: row.created_at,
      },
      endpoints: row.endpoints.map((e) => ({
        id: e.id,
        webhookUrl: e.url,
        signatureAlgo: e.algo === 'hmac' ? 'hmac' : 'jwt',
        eventTypes: e.types,
      })),
      attempts: row.attempts.map((a) => ({
        endpointId: a.endpoint_id,
        succeeded: a.succeeded,
        attemptedAt: new Date(a.attempted_at),
      })),
      documentNumberPrefix: row.document_number_prefix,
      connectionCodes: new Map(row.connections.map((c) => [c.id, c.code])),
      hmacKey: () => (sealed === null ? null : this.#open(organizationId, sealed)),
    };
  }

  /** The sealed value comes with every read: a rotated key is opened afresh at once. */
  #open(organizationId: string, sealed: string): string {
    if (this.box === undefined) throw new Error('webhook store: no secret box to open the HMAC key');
    return this.box.open(sealed, hmacKeyContext(organizationId));
  }

  async findEvent(eventId: string): Promise<StoredWebhookEvent | null> {
    const row = await this.#em.findOne(WebhookEventSchema, { id: eventId }, READ);
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
    await this.#em.insert(WebhookDeliverySchema, {
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
