import { randomUUID } from 'node:crypto';
import { Secret } from '@payrail/domain';
import type { Database } from '@payrail/persistence';
import type {
  DeliveryAttempt,
  EndpointHistory,
  StoredWebhookEvent,
  WebhookEndpoint,
  WebhookStore,
} from '../outgoing/ports.js';

type Row = Record<string, unknown>;

/**
 * The outbox, endpoints and delivery log on persistence's tables. Persistence offers no store for
 * them yet, so the worker reads and appends with plain SQL; it never updates or deletes a row.
 */
export class SqlWebhookStore implements WebhookStore {
  readonly #db: Database;
  readonly #s: string;

  constructor(db: Database) {
    this.#db = db;
    this.#s = `"${db.schema.replace(/"/g, '""')}"`;
  }

  async findEvent(eventId: string): Promise<StoredWebhookEvent | null> {
    const [row] = await this.#query(
      `select id, organization_id, webhook_type, object_type, payload, created_at
         from ${this.#s}.webhook_events where id = ?`,
      [eventId],
    );
    if (row === undefined) return null;
    return {
      id: String(row.id),
      organizationId: String(row.organization_id),
      webhookType: String(row.webhook_type),
      objectType: String(row.object_type),
      payload: row.payload as Record<string, unknown>,
      createdAt: new Date(row.created_at as string | Date),
    };
  }

  async listEndpoints(organizationId: string): Promise<readonly WebhookEndpoint[]> {
    const rows = await this.#query(
      `select id, webhook_url, signature_algo, event_types
         from ${this.#s}.webhook_endpoints where organization_id = ? order by created_at`,
      [organizationId],
    );
    return rows.map((row) => ({
      id: String(row.id),
      url: String(row.webhook_url),
      signatureAlgo: row.signature_algo === 'hmac' ? 'hmac' : 'jwt',
      eventTypes: Array.isArray(row.event_types) ? (row.event_types as string[]) : null,
    }));
  }

  async history(eventId: string): Promise<ReadonlyMap<string, EndpointHistory>> {
    const rows = await this.#query(
      `select endpoint_id, count(*)::int as attempts, bool_or(succeeded) as succeeded
         from ${this.#s}.webhook_deliveries where event_id = ? group by endpoint_id`,
      [eventId],
    );
    return new Map(
      rows.map((row) => [
        String(row.endpoint_id),
        { attempts: Number(row.attempts), succeeded: row.succeeded === true },
      ]),
    );
  }

  async recordAttempt(a: DeliveryAttempt): Promise<void> {
    await this.#query(
      `insert into ${this.#s}.webhook_deliveries
         (id, event_id, endpoint_id, attempt, succeeded, http_status, response_excerpt, error, duration_ms, attempted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        a.eventId,
        a.endpointId,
        a.attempt,
        a.succeeded,
        a.httpStatus,
        a.responseExcerpt,
        a.error,
        a.durationMs,
        a.attemptedAt.toISOString(),
      ],
    );
  }

  async hmacKey(organizationId: string): Promise<Secret> {
    const key = await this.#db.organizations.hmacKey(organizationId);
    if (key === null) throw new Error(`organization ${organizationId} has no HMAC key`);
    return new Secret(key);
  }

  #query(sql: string, params: unknown[]): Promise<Row[]> {
    return this.#db.orm.em.fork().execute(sql, params) as Promise<Row[]>;
  }
}
