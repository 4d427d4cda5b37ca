import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobRequest, JobScheduler, Outbox, OutgoingEvent } from '@payrail/domain';
import type { Db } from 'pg-boss';
import { WebhookEventSchema } from '../orm/entities/webhooks.js';
import type { JobQueue } from '../queue/job-queue.js';

/**
 * `tx.jobs`: jobs ride on the transaction's own connection, so they commit or vanish with it.
 * They are gathered while the transaction runs and written just before it commits, one statement
 * per queue (`flush`), however many the use case asked for.
 */
export class TransactionalJobs implements JobScheduler {
  readonly #pending = new Map<string, Map<string, JobRequest>>();
  #anonymous = 0;

  constructor(
    private readonly queue: JobQueue,
    private readonly db: Db,
  ) {}

  async enqueue(job: JobRequest): Promise<void> {
    this.queue.assertKnown(job.name);
    let ofQueue = this.#pending.get(job.name);
    if (!ofQueue) {
      ofQueue = new Map();
      this.#pending.set(job.name, ofQueue);
    }
    // A key asked for twice in one transaction is one job, as it would be across transactions.
    const key = job.dedupeKey ?? `\u0000${this.#anonymous++}`;
    if (!ofQueue.has(key)) ofQueue.set(key, job);
  }

  /** Writes the gathered jobs; called by the unit of work inside the transaction, before commit. */
  async flush(): Promise<void> {
    for (const [name, jobs] of this.#pending) {
      await this.queue.enqueueManyWith(this.db, name, [...jobs.values()]);
    }
    this.#pending.clear();
  }
}

/**
 * `tx.outbox`: the event rows and their delivery jobs are written in the caller's transaction,
 * gathered and written together just before commit (one insert for the events). Each job is keyed
 * by its event id, so one event is delivered by one job however often it is enqueued.
 */
export class TransactionalOutbox implements Outbox {
  #pending: OutgoingEvent[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobScheduler,
  ) {}

  async publish(event: OutgoingEvent): Promise<void> {
    this.#pending.push(event);
    await this.jobs.enqueue({
      name: 'webhook.deliver',
      payload: { organizationId: event.organizationId, eventId: event.id },
      dedupeKey: `webhook.deliver:${event.id}`,
      // One organization's slow endpoints hold at most its own share of the delivery slots.
      group: event.organizationId,
    });
  }

  /** Writes the gathered events; before the jobs are flushed (a job never names a missing event). */
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const events = this.#pending;
    this.#pending = [];
    await this.em.insertMany(
      WebhookEventSchema,
      events.map((event) => ({
        id: event.id,
        organization: event.organizationId,
        webhookType: event.type,
        objectType: event.objectType,
        payload: { ...event.data },
        createdAt: event.occurredAt,
      })),
    );
  }
}
