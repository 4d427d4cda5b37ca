import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Db, type Job, type JobResult, PgBoss } from 'pg-boss';
import { quoteIdent } from '../sql/quote.js';
import type { QueueDefinition } from './queue-definitions.js';

export interface JobRequest {
  readonly name: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** At most one live job per key and queue (see the queue's policy): a further enqueue is a no-op. */
  readonly dedupeKey?: string | undefined;
  readonly runAt?: Date | undefined;
  /** Jobs of one group share the queue's group concurrency limit (`work({ groupConcurrency })`). */
  readonly group?: string | undefined;
}

export interface QueuedJob<P = Record<string, unknown>> {
  readonly id: string;
  readonly name: string;
  readonly payload: P;
  /** 1 on the first run, 2 on the first retry, ... */
  readonly attempt: number;
  /** Aborted when a graceful stop runs out of time; the job then runs again later. */
  readonly signal: AbortSignal;
}

export type JobHandler<P = Record<string, unknown>> = (job: QueuedJob<P>) => Promise<void>;

export interface WorkOptions {
  /** Independent fetch loops in this process. */
  readonly concurrency?: number;
  /** Jobs claimed per fetch. Above 1 so a full batch triggers an immediate refetch (burst). */
  readonly batchSize?: number;
  /** Jobs of one group (`JobRequest.group`) running at once in this process. */
  readonly groupConcurrency?: number;
}

export interface JobQueueOptions {
  readonly url: string;
  /** Schema pg-boss installs its tables in. */
  readonly schema: string;
  readonly queues: readonly QueueDefinition[];
  /**
   * PGlite: every socket shares one session, NOTIFY reaches the sender instead of the listener,
   * so LISTEN is off and workers poll every 0.5 s. Real PostgreSQL: LISTEN/NOTIFY wakes an idle
   * worker within milliseconds and polling is only a backstop.
   */
  readonly embedded: boolean;
  /** Pool size of pg-boss's own connections (LISTEN takes one more on real PostgreSQL). */
  readonly poolMax?: number;
  /**
   * Run pg-boss's statements through this adapter instead of a pool of its own. The embedded shape
   * passes MikroORM's pool: PGlite runs one statement at a time anyway, and sharing keeps a process
   * within the socket server's connection cap.
   */
  readonly db?: Db;
  /** Background maintenance and cron; a process that only enqueues can turn it off. */
  readonly maintenance?: boolean;
  readonly onError?: (error: Error) => void;
}

const PENDING_STATES_SQL = `('created','retry','active')`;

/**
 * The product's job queue on pg-boss. Queues use the `exclusive` policy (at most one
 * created/retry/active job per singleton key, which is what makes `dedupeKey` hold, also while a
 * job waits in retry backoff) or, where a request must not be lost to a running job, `stately`
 * (one queued besides the running one). Jobs without a dedupe key get a unique key of their own
 * because both treat "no key" as one shared key.
 */
export class JobQueue {
  readonly #boss: PgBoss;
  readonly #options: JobQueueOptions;
  readonly #names: Set<string>;
  readonly #wakeups: Wakeups | null;

  private constructor(boss: PgBoss, options: JobQueueOptions, wakeups: Wakeups | null) {
    this.#boss = boss;
    this.#options = options;
    this.#names = new Set(options.queues.map((q) => q.name));
    this.#wakeups = wakeups;
  }

  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const maintenance = options.maintenance ?? true;
    const connection =
      options.db === undefined
        ? {
            connectionString: options.url,
            max: options.poolMax ?? (options.embedded ? 3 : 10),
            application_name: 'payrail-jobs',
          }
        : { db: options.db };
    // Real PostgreSQL with a pool of our own: NOTIFY wakes one idle fetch loop per process
    // (`Wakeups`), not pg-boss's every loop of the queue (decision 0610).
    const listens = !options.embedded && options.db === undefined;
    const boss = new PgBoss({
      ...connection,
      schema: options.schema,
      useListenNotify: false,
      supervise: maintenance,
      // Jobs whose worker stopped refreshing them (heartbeats) are handed back at this pace.
      superviseIntervalSeconds: 10,
      schedule: maintenance,
      // Spans and metrics are no-ops without an OpenTelemetry SDK; keep trace ids off jobs.
      openTelemetry: { enabled: false },
    });
    const onError = options.onError ?? ((error: Error) => console.error(`job queue: ${error.message}`));
    boss.on('error', onError);
    await boss.start();
    const wakeups = listens ? new Wakeups(boss, options.url, options.schema, onError) : null;
    const queue = new JobQueue(boss, options, wakeups);
    await queue.#createQueues();
    return queue;
  }

  get schema(): string {
    return this.#options.schema;
  }

  async #createQueues(): Promise<void> {
    for (const q of this.#options.queues) {
      const settings = {
        retryLimit: q.retryLimit,
        retryDelay: q.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: q.expireInSeconds,
        ...(q.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: q.heartbeatSeconds }),
        notify: !this.#options.embedded,
      };
      const policy = q.policy ?? 'exclusive';
      let existing = await this.#boss.getQueue(q.name);
      if (existing !== null && existing.policy !== policy && (await this.pendingCount([q.name])) === 0) {
        // pg-boss cannot change a queue's policy; an empty queue is recreated with the new one.
        await this.#boss.deleteQueue(q.name);
        existing = null;
      }
      if (existing === null) {
        await this.#boss.createQueue(q.name, { ...settings, policy, retryDelayMax: q.retryDelayMaxSeconds });
      } else {
        if (existing.policy !== policy) {
          this.#options.onError?.(
            new Error(
              `queue ${q.name} keeps policy ${existing.policy} (wanted ${policy}) until it has no pending jobs at start`,
            ),
          );
        }
        // createQueue() keeps the options of an existing queue; changed retry settings are applied here.
        await this.#boss.updateQueue(q.name, settings);
      }
    }
  }

  /**
   * Enqueues through `db`, the connection of the caller's open transaction: the job exists if and
   * only if that transaction commits. Returns null when the dedupe key already has a live job.
   */
  async enqueueWith(db: Db, job: JobRequest): Promise<string | null> {
    this.assertKnown(job.name);
    return this.#boss.send(
      job.name,
      { ...job.payload },
      {
        db,
        singletonKey: job.dedupeKey ?? randomUUID(),
        ...(job.runAt === undefined ? {} : { startAfter: job.runAt }),
        ...(job.group === undefined ? {} : { group: { id: job.group } }),
      },
    );
  }

  /** Enqueues on the queue's own pool, outside any transaction. */
  enqueue(job: JobRequest): Promise<string | null> {
    this.assertKnown(job.name);
    return this.#boss.send(
      job.name,
      { ...job.payload },
      {
        singletonKey: job.dedupeKey ?? randomUUID(),
        ...(job.runAt === undefined ? {} : { startAfter: job.runAt }),
        ...(job.group === undefined ? {} : { group: { id: job.group } }),
      },
    );
  }

  /**
   * Enqueues many jobs of one queue in one statement through `db` (the inbox uses it). Jobs whose
   * dedupe key is taken are skipped.
   */
  async enqueueManyWith(db: Db, name: string, jobs: readonly Omit<JobRequest, 'name'>[]): Promise<void> {
    this.assertKnown(name);
    if (jobs.length === 0) return;
    await this.#boss.insert(
      name,
      jobs.map((j) => ({
        data: { ...j.payload },
        singletonKey: j.dedupeKey ?? randomUUID(),
        ...(j.runAt === undefined ? {} : { startAfter: j.runAt }),
        ...(j.group === undefined ? {} : { group: { id: j.group } }),
      })),
      { db },
    );
  }

  /**
   * Runs `handler` for jobs of `name`. Each fetch claims up to `batchSize` jobs (FOR UPDATE SKIP
   * LOCKED, so any number of workers in any number of processes never share a job), runs them
   * concurrently and settles each one on its own: a throw fails only that job, which is retried
   * with the queue's backoff.
   */
  async work<P = Record<string, unknown>>(
    name: string,
    handler: JobHandler<P>,
    options: WorkOptions = {},
  ): Promise<void> {
    this.assertKnown(name);
    const batchSize = Math.max(2, options.batchSize ?? 10);
    const loops = options.concurrency ?? 1;
    // Only a process that works jobs listens (an API process only enqueues).
    await this.#wakeups?.start();
    const settings = {
      batchSize,
      burstWhenBatchFull: true,
      perJobResults: true,
      // A backstop for jobs that become due later (retries, `runAt`) and for notifications missed
      // while the listener reconnects; a new job wakes a loop at once.
      pollingIntervalSeconds: this.#wakeups === null ? 0.5 : 2,
    } as const;
    const run = (loop: Loop) => async (jobs: Job<P>[]) => {
      loop.busy = true;
      try {
        return await Promise.all(jobs.map((job) => settle(job, handler)));
      } finally {
        loop.busy = false;
      }
    };
    if (options.groupConcurrency !== undefined) {
      // Counted in this process across the loops of one pg-boss worker: a fetch that claims more of
      // a group than its share hands the excess back at once. (pg-boss's database-wide count is read
      // per fetch, so loops fetching together can all claim one group's jobs.) pg-boss wakes such a
      // worker through its first loop; the others find work by polling or by a full batch's burst.
      const loop: Loop = { id: '', busy: false };
      loop.id = await this.#boss.work<P>(
        name,
        { ...settings, localConcurrency: loops, localGroupConcurrency: options.groupConcurrency },
        run(loop),
      );
      this.#wakeups?.add(name, loop);
      return;
    }
    // One pg-boss worker per loop, so each loop can be woken on its own (`Wakeups`).
    for (let i = 0; i < loops; i++) {
      const loop: Loop = { id: '', busy: false };
      loop.id = await this.#boss.work<P>(name, { ...settings, localConcurrency: 1 }, run(loop));
      this.#wakeups?.add(name, loop);
    }
  }

  /** Fetches and runs one batch now, without a worker loop. Returns how many jobs it ran. */
  async runOnce<P = Record<string, unknown>>(
    name: string,
    handler: JobHandler<P>,
    batchSize = 10,
  ): Promise<number> {
    this.assertKnown(name);
    const jobs = await this.#boss.fetch<P>(name, { batchSize });
    for (const job of jobs) {
      const result = await settle(job, handler);
      if (result.status === 'completed') await this.#boss.complete(name, job);
      else await this.#boss.fail(name, job, result.output ?? null);
    }
    return jobs.length;
  }

  /** Creates or replaces a cron schedule (one job per occurrence across all processes). */
  async schedule(name: string, cron: string, payload: Record<string, unknown> = {}): Promise<void> {
    this.assertKnown(name);
    await this.#boss.schedule(name, cron, payload, { tz: 'UTC' });
  }

  /** State of one job, for tests and diagnostics. */
  async findJob(name: string, id: string): Promise<{ state: string; attempts: number } | null> {
    const [job] = await this.#boss.findJobs(name, { id });
    return job === undefined ? null : { state: job.state, attempts: job.retryCount + 1 };
  }

  /** Jobs of `names` (all queues by default) that are queued, in retry or running. */
  async pendingCount(names: readonly string[] = [...this.#names]): Promise<number> {
    const { rows } = await this.#boss
      .getDb()
      .executeSql(
        `SELECT count(*)::int AS n FROM ${quoteIdent(this.#options.schema)}.job WHERE name = ANY($1::text[]) AND state IN ${PENDING_STATES_SQL}`,
        [names],
      );
    return (rows[0] as { n: number }).n;
  }

  /**
   * Queues again, with their own payload and dedupe key, jobs of `names` whose newest run for a key
   * used up every retry before `failedBefore` (a provider outage longer than the backoff), at most
   * `limit`. A key that already has a live job gets nothing (the queue's policy); a requeued job
   * that fails again is found again, one failure later, so a long outage is retried slowly for as
   * long as it lasts. Returns how many were queued.
   */
  async requeueExhausted(query: {
    readonly names: readonly string[];
    readonly failedBefore: Date;
    readonly limit: number;
  }): Promise<number> {
    for (const name of query.names) this.assertKnown(name);
    const { rows } = await this.#boss.getDb().executeSql(
      `SELECT name, data, singleton_key FROM (
         SELECT DISTINCT ON (name, singleton_key) name, data, singleton_key, state, completed_on
           FROM ${quoteIdent(this.#options.schema)}.job
          WHERE name = ANY($1::text[]) AND singleton_key IS NOT NULL
          ORDER BY name, singleton_key, created_on DESC
       ) newest
       WHERE state = 'failed' AND completed_on < $2
       ORDER BY completed_on
       LIMIT $3`,
      [query.names, query.failedBefore.toISOString(), query.limit],
    );
    let queued = 0;
    for (const row of rows as { name: string; data: Record<string, unknown>; singleton_key: string }[]) {
      const id = await this.#boss.send(row.name, row.data, { singletonKey: row.singleton_key });
      if (id !== null) queued += 1;
    }
    return queued;
  }

  /** Waits until no job of `names` is queued, in retry or running (workers must be running). */
  async drain(names?: readonly string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.pendingCount(names)) > 0) {
      if (Date.now() > deadline) throw new Error(`jobs still pending after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Stops fetching, waits up to `timeoutMs` for jobs in flight, then closes the pool. A job still
   * running at the deadline has its signal aborted and goes back to `retry`, so it runs again.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.#wakeups?.stop();
    await this.#boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }

  /** Throws for a queue that is not defined (`send()` to it would fail only later). */
  assertKnown(name: string): void {
    if (!this.#names.has(name))
      throw new Error(`unknown job queue "${name}": add it to the queue definitions`);
  }
}

async function settle<P>(job: Job<P>, handler: JobHandler<P>): Promise<JobResult> {
  try {
    await handler({
      id: job.id,
      name: job.name,
      payload: job.data,
      attempt: job.retryCount + 1,
      signal: job.signal,
    });
    return { id: job.id, status: 'completed' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { id: job.id, status: 'failed', output: { message } };
  }
}

interface Loop {
  id: string;
  busy: boolean;
}

/**
 * Wakes one fetch loop per NOTIFY. pg-boss's own listener wakes every loop of the queue, so each
 * new job cost as many fetches as the queue has loops in every worker process (eight deliveries
 * loops times N workers), all but one of them coming back empty. Here an idle loop is woken, or,
 * when every loop is busy, one of them is told to fetch again as soon as it is done. After the
 * listener's connection is lost, it reconnects with backoff and wakes every loop once, for the
 * jobs announced meanwhile; the loops' 2 s poll covers the gap.
 */
class Wakeups {
  readonly #boss: PgBoss;
  readonly #url: string;
  readonly #channel: string;
  readonly #onError: (error: Error) => void;
  readonly #loops = new Map<string, Loop[]>();
  readonly #next = new Map<string, number>();
  #client: pg.Client | null = null;
  #started = false;
  #stopped = false;
  #retryMs = 500;
  #timer: NodeJS.Timeout | undefined;

  constructor(boss: PgBoss, url: string, schema: string, onError: (error: Error) => void) {
    this.#boss = boss;
    this.#url = url;
    // pg-boss's channel: 'pgboss_' and the first 24 hex digits of the schema name's SHA-224.
    this.#channel = `pgboss_${createHash('sha224').update(schema).digest('hex').slice(0, 24)}`;
    this.#onError = onError;
  }

  add(name: string, loop: Loop): void {
    this.#loops.set(name, [...(this.#loops.get(name) ?? []), loop]);
  }

  /** Connects the listener, once; a later call does nothing. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      await this.#connect();
    } catch (error) {
      this.#onError(
        new Error(`job queue listener: ${(error as Error).message}; polling until it reconnects`),
      );
      this.#reconnectLater();
    }
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, application_name: 'payrail-jobs-listen' });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel === this.#channel && message.payload) this.#wake(message.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${quoteIdent(this.#channel)}`);
    if (this.#stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#retryMs = 500;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.end().catch(() => undefined);
    if (!this.#stopped) this.#reconnectLater();
  }

  #reconnectLater(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setTimeout(async () => {
      this.#timer = undefined;
      try {
        await this.#connect();
        // Jobs announced while nobody listened: every loop looks once.
        for (const name of this.#loops.keys())
          for (const loop of this.#loops.get(name) ?? []) this.#notify(loop);
      } catch {
        this.#retryMs = Math.min(10_000, this.#retryMs * 2);
        this.#reconnectLater();
      }
    }, this.#retryMs);
    this.#timer.unref();
  }

  #wake(name: string): void {
    const loops = this.#loops.get(name);
    if (loops === undefined || loops.length === 0) return;
    const start = this.#next.get(name) ?? 0;
    this.#next.set(name, (start + 1) % loops.length);
    for (let i = 0; i < loops.length; i++) {
      const loop = loops[(start + i) % loops.length] as Loop;
      if (!loop.busy) {
        this.#notify(loop);
        return;
      }
    }
    this.#notify(loops[start] as Loop);
  }

  #notify(loop: Loop): void {
    this.#boss.notifyWorker(loop.id);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }
}
