import type { Page, PageRequest } from '../queries/page.js';
import { type SqlRunner, Where } from '../sql/runner.js';

/** One attempt to deliver an outgoing webhook to one endpoint, as the worker recorded it. */
export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  readonly webhookType: string;
  readonly objectType: string;
  readonly endpointId: string;
  readonly webhookUrl: string | null;
  readonly attempt: number;
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  /** As recorded: a failure category, or a socket error's text on rows older than those. */
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
}

export interface WebhookDeliveryFilter {
  readonly endpointId?: string;
  readonly eventId?: string;
  readonly webhookType?: string;
  readonly succeeded?: boolean;
}

interface Row {
  id: string;
  event_id: string;
  webhook_type: string;
  object_type: string;
  endpoint_id: string;
  webhook_url: string | null;
  attempt: number;
  succeeded: boolean;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date | string;
}

/**
 * The delivery log as the API lists it: `webhook_deliveries` (written by `WebhookStore`) joined to
 * its event (for the organization) and endpoint (for the URL), newest first, one organization only.
 */
export class WebhookDeliveryLog {
  constructor(private readonly sql: SqlRunner) {}

  async list(
    organizationId: string,
    filter: WebhookDeliveryFilter,
    page: PageRequest,
  ): Promise<Page<WebhookDeliveryRecord>> {
    const where = new Where().add('e.organization_id = ?', organizationId);
    if (filter.endpointId !== undefined) where.add('d.endpoint_id = ?', filter.endpointId);
    if (filter.eventId !== undefined) where.add('d.event_id = ?', filter.eventId);
    if (filter.webhookType !== undefined) where.add('e.webhook_type = ?', filter.webhookType);
    if (filter.succeeded !== undefined) where.add('d.succeeded = ?', filter.succeeded);
    const from = [
      `${this.sql.table('webhook_deliveries')} d`,
      `join ${this.sql.table('webhook_events')} e on e.id = d.event_id`,
      `left join ${this.sql.table('webhook_endpoints')} w on w.id = d.endpoint_id`,
    ].join(' ');
    const [count] = await this.sql.rows<{ n: string | number }>(
      `select count(*) as n from ${from} ${where}`,
      where.params,
    );
    const rows = await this.sql.rows<Row>(
      `select d.id, d.event_id, e.webhook_type, e.object_type, d.endpoint_id, w.webhook_url, d.attempt,
              d.succeeded, d.http_status, d.error, d.duration_ms, d.attempted_at
         from ${from} ${where}
        order by d.attempted_at desc, d.id asc limit ? offset ?`,
      [...where.params, page.perPage, (page.page - 1) * page.perPage],
    );
    return { items: rows.map(toRecord), totalCount: Number(count?.n ?? 0) };
  }
}

function toRecord(row: Row): WebhookDeliveryRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    webhookType: row.webhook_type,
    objectType: row.object_type,
    endpointId: row.endpoint_id,
    webhookUrl: row.webhook_url,
    attempt: row.attempt,
    succeeded: row.succeeded,
    httpStatus: row.http_status,
    error: row.error,
    durationMs: row.duration_ms,
    attemptedAt: new Date(row.attempted_at),
  };
}
