import type { WebhookRedelivery } from '../../ports/webhook-deliveries.js';
import type { SqlRunner } from './sql-runner.js';

/** What the redelivery needs from persistence's job queue. */
export interface DeliveryQueue {
  enqueue(job: {
    name: 'webhook.deliver';
    payload: { organizationId: string; eventId: string; redeliveryFrom: string };
    dedupeKey: string;
    group: string;
  }): Promise<unknown>;
}

/** Looks the event up within the organization, then queues a `webhook.deliver` marked as a redelivery. */
export class SqlWebhookRedelivery implements WebhookRedelivery {
  constructor(
    private readonly sql: SqlRunner,
    private readonly queue: DeliveryQueue,
  ) {}

  async redeliver(organizationId: string, eventId: string, requestedAt: Date) {
    const [event] = await this.sql.rows<{ webhook_type: string; object_type: string }>(
      `select webhook_type, object_type from ${this.sql.table('webhook_events')} where id = ? and organization_id = ?`,
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
}
