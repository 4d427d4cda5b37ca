import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobRequest, JobScheduler, Outbox, OutgoingEvent } from '@payrail/domain';
import type { Db } from 'pg-boss';
import { WebhookEventSchema } from '../orm/entities/webhooks.js';
import type { JobQueue } from '../queue/job-queue.js';

/** `tx.jobs`: jobs ride on the transaction's own connection, so they commit or vanish with it. */
export class TransactionalJobs implements JobScheduler {
  constructor(
    private readonly queue: JobQueue,
    private readonly db: Db,
  ) {}

  async enqueue(job: JobRequest): Promise<void> {
    await this.queue.enqueueWith(this.db, job);
  }
}

/**
 * `tx.outbox`: the event row and its delivery job are written in the caller's transaction. The
 * job is keyed by the event id, so one event is delivered by one job however often it is enqueued.
 */
export class TransactionalOutbox implements Outbox {
  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobScheduler,
  ) {}

  async publish(event: OutgoingEvent): Promise<void> {
    await this.em.insert(WebhookEventSchema, {
      id: event.id,
      organization: event.organizationId,
      webhookType: event.type,
      objectType: event.objectType,
      payload: { ...event.data },
      createdAt: event.occurredAt,
    });
    await this.jobs.enqueue({
      name: 'webhook.deliver',
      payload: { organizationId: event.organizationId, eventId: event.id },
      dedupeKey: `webhook.deliver:${event.id}`,
      // One organization's slow endpoints hold at most its own share of the delivery slots.
      group: event.organizationId,
    });
  }
}
