import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { guardWrite } from '../errors/db-errors.js';
import {
  WebhookDeliverySchema,
  type WebhookEndpointRow,
  WebhookEndpointSchema,
  WebhookEventSchema,
} from '../orm/entities/webhooks.js';

export type SignatureAlgo = 'jwt' | 'hmac';

export interface WebhookEndpoint {
  readonly id: string;
  readonly organizationId: string;
  readonly webhookUrl: string;
  readonly signatureAlgo: SignatureAlgo;
  readonly name: string | null;
  /** null = every event type. */
  readonly eventTypes: readonly string[] | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface WebhookEndpointInput {
  readonly webhookUrl: string;
  readonly signatureAlgo: SignatureAlgo;
  readonly name: string | null;
  readonly eventTypes: readonly string[] | null;
}

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
 * Outgoing webhooks outside the domain's ports: endpoint CRUD for the API, the outbox rows and the
 * delivery log for the worker. A duplicate URL in one organization raises `UniqueViolationError`
 * on `webhook_url`.
 */
export class WebhookStore {
  constructor(private readonly orm: MikroORM) {}

  async createEndpoint(organizationId: string, input: WebhookEndpointInput): Promise<WebhookEndpoint> {
    const now = new Date();
    const endpoint: WebhookEndpoint = {
      id: randomUUID(),
      organizationId,
      ...input,
      createdAt: now,
      updatedAt: now,
    };
    await guardWrite({ entity: 'webhook_endpoint', id: endpoint.id, version: 1 }, () =>
      this.orm.em.fork().insert(WebhookEndpointSchema, {
        id: endpoint.id,
        organization: organizationId,
        webhookUrl: input.webhookUrl,
        signatureAlgo: input.signatureAlgo,
        name: input.name,
        eventTypes: input.eventTypes === null ? null : [...input.eventTypes],
        createdAt: now,
        updatedAt: now,
      }),
    );
    return endpoint;
  }

  async updateEndpoint(
    organizationId: string,
    id: string,
    input: WebhookEndpointInput,
  ): Promise<WebhookEndpoint | null> {
    const n = await guardWrite({ entity: 'webhook_endpoint', id, version: 1 }, () =>
      this.orm.em.fork().nativeUpdate(
        WebhookEndpointSchema,
        { id, organization: organizationId },
        {
          webhookUrl: input.webhookUrl,
          signatureAlgo: input.signatureAlgo,
          name: input.name,
          eventTypes: input.eventTypes === null ? null : [...input.eventTypes],
          updatedAt: new Date(),
        },
      ),
    );
    return n === 0 ? null : this.findEndpoint(organizationId, id);
  }

  async deleteEndpoint(organizationId: string, id: string): Promise<WebhookEndpoint | null> {
    const existing = await this.findEndpoint(organizationId, id);
    if (existing === null) return null;
    await this.orm.em.fork().nativeDelete(WebhookEndpointSchema, { id, organization: organizationId });
    return existing;
  }

  async findEndpoint(organizationId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = await this.orm.em
      .fork()
      .findOne(WebhookEndpointSchema, { id, organization: organizationId }, READ);
    return row === null ? null : toEndpoint(row);
  }

  /** Oldest first; `page` is 1-based as in Lago. */
  async listEndpoints(
    organizationId: string,
    page = 1,
    perPage = 100,
  ): Promise<{ items: WebhookEndpoint[]; total: number }> {
    const [rows, total] = await this.orm.em
      .fork()
      .findAndCount(
        WebhookEndpointSchema,
        { organization: organizationId },
        { ...READ, orderBy: { createdAt: 'asc', id: 'asc' }, limit: perPage, offset: (page - 1) * perPage },
      );
    return { items: rows.map(toEndpoint), total };
  }

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

function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    organizationId: row.organization,
    webhookUrl: row.webhookUrl,
    signatureAlgo: row.signatureAlgo as SignatureAlgo,
    name: row.name ?? null,
    eventTypes: row.eventTypes ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
