import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { JobQueue } from '../queue/job-queue.js';
import { quoteIdent } from '../sql/quote.js';
import { sqlRows, sqlTransaction } from '../sql/rows.js';

export const PROCESS_EVENT_QUEUE = 'stripe.process_event';

export interface InboxEventInput {
  readonly organizationId: string;
  readonly connectionId: string;
  /** Stripe's `evt_...`. */
  readonly stripeEventId: string;
  readonly type: string;
  /** Stripe's `created`. */
  readonly createdAt: Date;
  /** The verified event: the raw JSON body as received, or the parsed object. */
  readonly payload: string | Readonly<Record<string, unknown>>;
}

export type InboxInsertResult =
  | { readonly status: 'stored'; readonly inboxId: string }
  | { readonly status: 'duplicate' };

export interface InboxEvent {
  readonly id: string;
  readonly organizationId: string;
  readonly connectionId: string;
  readonly stripeEventId: string;
  readonly type: string;
  readonly createdAt: Date;
  readonly payload: Record<string, unknown>;
  readonly receivedAt: Date;
  readonly processedAt: Date | null;
  readonly outcome: string | null;
}

interface Pending {
  readonly id: string;
  readonly input: InboxEventInput;
  readonly resolve: (result: InboxInsertResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Large enough to amortise a commit, small enough to keep one PGlite transaction short. */
const MAX_BATCH = 128;
/**
 * Batches being written at once. While they commit, new events gather into the next batch, so
 * a busy receiver writes fewer, larger transactions instead of many small ones.
 */
const MAX_IN_FLIGHT = 4;

/**
 * The inbox of verified Stripe events. `insert` is the webhook receiver's hot path: callers that
 * arrive together are written together, as one transaction of two statements (an `unnest`
 * insert that skips known events, and one pg-boss insert of their processing jobs), so the cost
 * of a commit is shared. A row and its job always commit together.
 */
export class InboxStore {
  readonly #orm: MikroORM;
  readonly #queue: JobQueue;
  readonly #table: string;
  #pending: Pending[] = [];
  #scheduled = false;
  #inFlight = 0;

  constructor(orm: MikroORM, queue: JobQueue, schema: string) {
    this.#orm = orm;
    this.#queue = queue;
    this.#table = `${quoteIdent(schema)}."stripe_inbox_events"`;
  }

  /** Stores the event and its processing job, or reports a redelivery as `duplicate`. */
  insert(input: InboxEventInput): Promise<InboxInsertResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ id: randomUUID(), input, resolve, reject });
      if (this.#pending.length >= MAX_BATCH) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0 || this.#inFlight >= MAX_IN_FLIGHT) return;
    const batch = this.#pending.splice(0, MAX_BATCH);
    this.#inFlight += 1;
    void this.#settle(batch).finally(() => {
      this.#inFlight -= 1;
      this.#flush();
    });
    if (this.#pending.length >= MAX_BATCH) this.#flush();
  }

  #settle(batch: readonly Pending[]): Promise<void> {
    return this.#write(batch).then(
      (stored) => {
        for (const p of batch)
          p.resolve(stored.has(p.id) ? { status: 'stored', inboxId: p.id } : { status: 'duplicate' });
      },
      async (error: unknown) => {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          return;
        }
        // One bad event (say, a connection deleted meanwhile) must not fail its neighbours.
        for (const p of batch) {
          await this.#write([p]).then(
            (stored) =>
              p.resolve(stored.has(p.id) ? { status: 'stored', inboxId: p.id } : { status: 'duplicate' }),
            p.reject,
          );
        }
      },
    );
  }

  async #write(batch: readonly Pending[]): Promise<Set<string>> {
    return sqlTransaction(this.#orm.em, async (query) => {
      const rows = await query<{ id: string; organization_id: string }>(
        `insert into ${this.#table}
           ("id", "organization_id", "connection_id", "stripe_event_id", "type", "stripe_created_at", "payload", "received_at")
         select id, org, conn, evt, typ, created, payload::jsonb, now()
           from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
             as t(id, org, conn, evt, typ, created, payload)
         on conflict ("connection_id", "stripe_event_id") do nothing
         returning "id", "organization_id"`,
        [
          batch.map((p) => p.id),
          batch.map((p) => p.input.organizationId),
          batch.map((p) => p.input.connectionId),
          batch.map((p) => p.input.stripeEventId),
          batch.map((p) => p.input.type),
          batch.map((p) => p.input.createdAt.toISOString()),
          batch.map((p) =>
            typeof p.input.payload === 'string' ? p.input.payload : JSON.stringify(p.input.payload),
          ),
        ],
      );
      await this.#queue.enqueueManyWith(
        { executeSql: async (text, values) => ({ rows: await query(text, values ?? []) }) },
        PROCESS_EVENT_QUEUE,
        rows.map((r) => ({
          payload: { organizationId: r.organization_id, inboxId: r.id },
          dedupeKey: `${PROCESS_EVENT_QUEUE}:${r.id}`,
        })),
      );
      return new Set(rows.map((r) => r.id));
    });
  }

  /** The stored event, for the worker that processes it. */
  async find(inboxId: string): Promise<InboxEvent | null> {
    const rows = await sqlRows(this.#orm.em, `select * from ${this.#table} where "id" = $1`, [inboxId]);
    const row = rows[0];
    if (row === undefined) return null;
    return {
      id: row.id as string,
      organizationId: row.organization_id as string,
      connectionId: row.connection_id as string,
      stripeEventId: row.stripe_event_id as string,
      type: row.type as string,
      createdAt: new Date(row.stripe_created_at as string | Date),
      payload: row.payload as Record<string, unknown>,
      receivedAt: new Date(row.received_at as string | Date),
      processedAt: row.processed_at == null ? null : new Date(row.processed_at as string | Date),
      outcome: (row.outcome as string | null) ?? null,
    };
  }

  /** Records that the event was handled (or why it was skipped); idempotent. */
  async markProcessed(inboxId: string, outcome: string): Promise<void> {
    await sqlRows(
      this.#orm.em,
      `update ${this.#table} set "processed_at" = coalesce("processed_at", now()), "outcome" = $1 where "id" = $2`,
      [outcome, inboxId],
    );
  }
}

/**
 * The webhook receiver's call after verifying a Stripe signature: stores the event and its
 * `stripe.process_event` job in one transaction; `duplicate` for an event already stored.
 */
export function insertInboxEvent(
  db: { readonly inbox: InboxStore },
  input: InboxEventInput,
): Promise<InboxInsertResult> {
  return db.inbox.insert(input);
}
