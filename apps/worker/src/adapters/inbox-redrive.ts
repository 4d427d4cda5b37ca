import type { Database } from '@payrail/persistence';
import { PROCESS_EVENT_QUEUE } from '@payrail/persistence';
import type { InboxRedrive } from '../inbox/redrive.js';

/** Persistence has no query for stale inbox rows; this one reads the table it owns. */
export function persistenceInboxRedrive(db: Database): InboxRedrive {
  const table = `"${db.schema.replace(/"/g, '""')}"."stripe_inbox_events"`;
  return {
    async requeueStale({ receivedBefore, limit }) {
      const rows = (await db.orm.em
        .fork()
        .execute(
          `select id, organization_id from ${table} where processed_at is null and received_at < ? order by received_at limit ?`,
          [receivedBefore.toISOString(), limit],
        )) as { id: string; organization_id: string }[];
      for (const row of rows) {
        await db.queue.enqueue({
          name: PROCESS_EVENT_QUEUE,
          payload: { organizationId: row.organization_id, inboxId: row.id },
          dedupeKey: `${PROCESS_EVENT_QUEUE}:${row.id}`,
        });
      }
      return rows.length;
    },
    requeueExhaustedJobs({ failedBefore, limit }) {
      return db.queue.requeueExhausted({ names: STRIPE_CALL_QUEUES, failedBefore, limit });
    },
  };
}

/** Queues whose jobs call Stripe with idempotency keys derived from our own ids. */
const STRIPE_CALL_QUEUES = [
  'payment.collect',
  'payment_request.collect',
  'payment.refund',
  'stripe.create_customer',
  'stripe.update_customer',
  'stripe.checkout_link',
  'payment.reconcile',
];
