import { randomUUID } from 'node:crypto';
import type { Page, PageRequest } from '../queries/page.js';
import type { SqlRunner } from '../sql/runner.js';

/** Lago's ceiling per organization. */
export const MAX_WEBHOOK_ENDPOINTS = 10;

export type SignatureAlgo = 'jwt' | 'hmac';

/** Where an organization's outgoing webhooks go. */
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

export interface WebhookEndpointFields {
  readonly webhookUrl: string;
  readonly signatureAlgo: SignatureAlgo;
  readonly name: string | null;
  readonly eventTypes: readonly string[] | null;
}

export type WebhookEndpointWrite =
  | { readonly ok: true; readonly endpoint: WebhookEndpoint }
  | { readonly ok: false; readonly reason: 'url_taken' | 'limit_reached' | 'not_found' };

interface Row {
  id: string;
  organization_id: string;
  webhook_url: string;
  signature_algo: string;
  name: string | null;
  event_types: string[] | null;
  created_at: Date | string;
  updated_at: Date | string;
}

function toEndpoint(row: Row): WebhookEndpoint {
  return {
    id: row.id,
    organizationId: row.organization_id,
    webhookUrl: row.webhook_url,
    signatureAlgo: row.signature_algo === 'hmac' ? 'hmac' : 'jwt',
    name: row.name,
    eventTypes: row.event_types,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === '23505' || e?.name === 'UniqueConstraintViolationException';
}

const COLUMNS = `"id", "organization_id", "webhook_url", "signature_algo", "name", "event_types", "created_at", "updated_at"`;

/**
 * `webhook_endpoints`, with Lago's rules: at most `MAX_WEBHOOK_ENDPOINTS` per organization and one
 * endpoint per URL, both checked in the insert itself, creates of one organization taking turns,
 * listed by URL.
 */
export class WebhookEndpointStore {
  constructor(private readonly sql: SqlRunner) {}

  get #table(): string {
    return this.sql.table('webhook_endpoints');
  }

  async list(
    organizationId: string,
    page: PageRequest = { page: 1, perPage: MAX_WEBHOOK_ENDPOINTS },
  ): Promise<Page<WebhookEndpoint>> {
    const [count] = await this.sql.rows<{ n: string | number }>(
      `select count(*) as n from ${this.#table} where "organization_id" = ?`,
      [organizationId],
    );
    const rows = await this.sql.rows<Row>(
      `select ${COLUMNS} from ${this.#table} where "organization_id" = ?
        order by "webhook_url" asc, "id" asc limit ? offset ?`,
      [organizationId, page.perPage, (page.page - 1) * page.perPage],
    );
    return { items: rows.map(toEndpoint), totalCount: Number(count?.n ?? 0) };
  }

  async find(organizationId: string, id: string): Promise<WebhookEndpoint | null> {
    const [row] = await this.sql.rows<Row>(
      `select ${COLUMNS} from ${this.#table} where "organization_id" = ? and "id" = ?`,
      [organizationId, id],
    );
    return row ? toEndpoint(row) : null;
  }

  async create(organizationId: string, fields: WebhookEndpointFields): Promise<WebhookEndpointWrite> {
    const now = new Date();
    // Creates of one organization take turns (a transaction-scoped lock), and each counts after
    // its turn comes: one statement alone would count in a snapshot taken before a concurrent
    // create committed, and both would pass the limit.
    const rows = await this.sql.transaction(async (rows) => {
      await rows(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
        `webhook_endpoints:${organizationId}`,
      ]);
      return rows<Row>(
        `insert into ${this.#table} (${COLUMNS})
         select ?, ?, ?, ?, ?, ?::jsonb, ?, ?
          where (select count(*) from ${this.#table} where "organization_id" = ?) < ?
         on conflict ("organization_id", "webhook_url") do nothing
         returning ${COLUMNS}`,
        [
          randomUUID(),
          organizationId,
          fields.webhookUrl,
          fields.signatureAlgo,
          fields.name,
          fields.eventTypes === null ? null : JSON.stringify(fields.eventTypes),
          now,
          now,
          organizationId,
          MAX_WEBHOOK_ENDPOINTS,
        ],
      );
    });
    const [row] = rows;
    if (row) return { ok: true, endpoint: toEndpoint(row) };
    const [taken] = await this.sql.rows(
      `select 1 from ${this.#table} where "organization_id" = ? and "webhook_url" = ?`,
      [organizationId, fields.webhookUrl],
    );
    return { ok: false, reason: taken ? 'url_taken' : 'limit_reached' };
  }

  async update(
    organizationId: string,
    id: string,
    fields: Partial<WebhookEndpointFields>,
  ): Promise<WebhookEndpointWrite> {
    const sets: string[] = ['"updated_at" = ?'];
    const params: unknown[] = [new Date()];
    if (fields.webhookUrl !== undefined) sets.push('"webhook_url" = ?') && params.push(fields.webhookUrl);
    if (fields.signatureAlgo !== undefined)
      sets.push('"signature_algo" = ?') && params.push(fields.signatureAlgo);
    if (fields.name !== undefined) sets.push('"name" = ?') && params.push(fields.name);
    if (fields.eventTypes !== undefined) {
      sets.push('"event_types" = ?::jsonb');
      params.push(fields.eventTypes === null ? null : JSON.stringify(fields.eventTypes));
    }
    try {
      const [row] = await this.sql.rows<Row>(
        `update ${this.#table} set ${sets.join(', ')} where "organization_id" = ? and "id" = ? returning ${COLUMNS}`,
        [...params, organizationId, id],
      );
      return row ? { ok: true, endpoint: toEndpoint(row) } : { ok: false, reason: 'not_found' };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'url_taken' };
      throw error;
    }
  }

  async delete(organizationId: string, id: string): Promise<WebhookEndpoint | null> {
    const [row] = await this.sql.rows<Row>(
      `delete from ${this.#table} where "organization_id" = ? and "id" = ? returning ${COLUMNS}`,
      [organizationId, id],
    );
    return row ? toEndpoint(row) : null;
  }

  /** `PUT /organizations {webhook_url}`: set the first endpoint's URL, creating it when there is none. */
  async upsertFirst(organizationId: string, webhookUrl: string): Promise<WebhookEndpointWrite> {
    const [first] = await this.sql.rows<{ id: string }>(
      `select "id" from ${this.#table} where "organization_id" = ? order by "created_at" asc, "id" asc limit 1`,
      [organizationId],
    );
    if (first) return this.update(organizationId, first.id, { webhookUrl });
    return this.create(organizationId, { webhookUrl, signatureAlgo: 'jwt', name: null, eventTypes: null });
  }
}
