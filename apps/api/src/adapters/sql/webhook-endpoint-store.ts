import { randomUUID } from 'node:crypto';
import type { SignatureAlgo, WebhookEndpointRecord } from '@payrail/lago-wire';
import type {
  WebhookEndpointFields,
  WebhookEndpointStore,
  WebhookEndpointWrite,
} from '../../ports/webhook-endpoints.js';
import type { SqlRunner } from './sql-runner.js';

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

function toRecord(row: Row): WebhookEndpointRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    webhookUrl: row.webhook_url,
    signatureAlgo: row.signature_algo === 'hmac' ? 'hmac' : ('jwt' satisfies SignatureAlgo),
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

/** `webhook_endpoints` (persistence's table); Lago orders them by URL. */
export class SqlWebhookEndpointStore implements WebhookEndpointStore {
  constructor(private readonly sql: SqlRunner) {}

  get #table(): string {
    return this.sql.table('webhook_endpoints');
  }

  async list(organizationId: string, page: { page: number; perPage: number }) {
    const [count] = await this.sql.rows<{ n: string | number }>(
      `select count(*) as n from ${this.#table} where "organization_id" = ?`,
      [organizationId],
    );
    const rows = await this.sql.rows<Row>(
      `select ${COLUMNS} from ${this.#table} where "organization_id" = ?
        order by "webhook_url" asc, "id" asc limit ? offset ?`,
      [organizationId, page.perPage, (page.page - 1) * page.perPage],
    );
    return { items: rows.map(toRecord), totalCount: Number(count?.n ?? 0) };
  }

  async find(organizationId: string, id: string): Promise<WebhookEndpointRecord | null> {
    const [row] = await this.sql.rows<Row>(
      `select ${COLUMNS} from ${this.#table} where "organization_id" = ? and "id" = ?`,
      [organizationId, id],
    );
    return row ? toRecord(row) : null;
  }

  async create(
    organizationId: string,
    fields: WebhookEndpointFields,
    limit: number,
  ): Promise<WebhookEndpointWrite> {
    const now = new Date();
    const rows = await this.sql.rows<Row>(
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
        limit,
      ],
    );
    const [row] = rows;
    if (row) return { ok: true, endpoint: toRecord(row) };
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
      return row ? { ok: true, endpoint: toRecord(row) } : { ok: false, reason: 'not_found' };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'url_taken' };
      throw error;
    }
  }

  async delete(organizationId: string, id: string): Promise<WebhookEndpointRecord | null> {
    const [row] = await this.sql.rows<Row>(
      `delete from ${this.#table} where "organization_id" = ? and "id" = ? returning ${COLUMNS}`,
      [organizationId, id],
    );
    return row ? toRecord(row) : null;
  }

  async upsertFirst(
    organizationId: string,
    webhookUrl: string,
    limit: number,
  ): Promise<WebhookEndpointWrite> {
    const [first] = await this.sql.rows<{ id: string }>(
      `select "id" from ${this.#table} where "organization_id" = ? order by "created_at" asc, "id" asc limit 1`,
      [organizationId],
    );
    if (first) return this.update(organizationId, first.id, { webhookUrl });
    return this.create(
      organizationId,
      { webhookUrl, signatureAlgo: 'jwt', name: null, eventTypes: null },
      limit,
    );
  }
}
