import type {
  WebhookDeliveryFilter,
  WebhookDeliveryLog,
  WebhookDeliveryRecord,
} from '../../ports/webhook-deliveries.js';
import { type SqlRunner, Where } from './sql-runner.js';

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

/** `webhook_deliveries` joined to its event (for the organization) and endpoint (for the URL). */
export class SqlWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(private readonly sql: SqlRunner) {}

  async list(organizationId: string, filter: WebhookDeliveryFilter, page: { page: number; perPage: number }) {
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
