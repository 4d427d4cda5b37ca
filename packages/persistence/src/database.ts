import { join, resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { UnitOfWork } from '@payrail/domain';
import { fromKnex } from 'pg-boss';
import { loadSecretBox } from './config/encryption-key.js';
import type { SecretBox } from './crypto/secret-box.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded/start-embedded-postgres.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { InboxStore } from './inbox/inbox-store.js';
import { pendingMigrations, runMigrations } from './migrate/run-migrations.js';
import { OrganizationStore } from './organizations/organization-store.js';
import { ormConfig } from './orm/orm-config.js';
import { ListQueries } from './queries/list-queries.js';
import { JobQueue } from './queue/job-queue.js';
import { DEFAULT_QUEUES, mergeQueues, type QueueDefinition } from './queue/queue-definitions.js';
import { type ReadScope, SqlUnitOfWork } from './repositories/unit-of-work.js';
import { sqlRunner } from './sql/runner.js';
import { StripeRequestBudget } from './stripe/request-budget.js';
import { WebhookDeliveryLog } from './webhooks/webhook-delivery-log.js';
import { WebhookEndpointStore } from './webhooks/webhook-endpoint-store.js';
import { WebhookStore } from './webhooks/webhook-store.js';

export interface OpenDatabaseOptions {
  readonly url: string;
  /** Schema of the product's tables; `public` by default. */
  readonly schema?: string;
  /** Schema of the job tables; `pgboss` by default, `<schema>_jobs` when `schema` is set. */
  readonly queueSchema?: string;
  /** True for PGlite: small pools, no LISTEN/NOTIFY, short transactions. */
  readonly embedded: boolean;
  /** Seals secrets at rest; default from ENCRYPTION_KEY (see `loadSecretBox`). */
  readonly secretBox?: SecretBox;
  /** Apply pending migrations before returning; default true when embedded. */
  readonly migrate?: boolean;
  /** With `migrate` false: stop with `MigrationsPendingError` when a migration is missing. */
  readonly requireMigrated?: boolean;
  /** Extra or overriding queue definitions. */
  readonly queues?: readonly QueueDefinition[];
  /** Queue maintenance and cron in this process; off for processes that only enqueue. */
  readonly queueMaintenance?: boolean;
  readonly onQueueError?: (error: Error) => void;
  /**
   * Connections of the ORM's pool, which serves every request's statements and transactions
   * (jobs enqueued in a transaction ride on its connection). Default `DEFAULT_POOL_MAX` (3
   * embedded). Decision 0904.
   */
  readonly poolMax?: number;
}

/** The ORM pool's default size on PostgreSQL (`DATABASE_POOL_MAX`); decision 0904. */
export const DEFAULT_POOL_MAX = 10;
/**
 * The job queue's own pool in a process that only enqueues (queue maintenance off: the API, the
 * webhook receiver): it enqueues outside transactions now and then, and sets the queues up at start.
 */
const ENQUEUE_ONLY_POOL_MAX = 2;

/** What an app gets: the domain's ports plus the pieces only adapters need. */
export interface Database {
  readonly unitOfWork: UnitOfWork;
  /** The same repositories outside any transaction, for reads (`unitOfWork` for anything that writes). */
  readonly reads: ReadScope;
  readonly queue: JobQueue;
  readonly inbox: InboxStore;
  readonly organizations: OrganizationStore;
  /** Lago's filtered, paginated lists (customers, add-ons, invoices, payments, credit notes). */
  readonly lists: ListQueries;
  readonly webhookEndpoints: WebhookEndpointStore;
  /** Outbox events and delivery attempts (the worker's), redelivery (the API's). */
  readonly webhooks: WebhookStore;
  /** The delivery log as the API lists it. */
  readonly webhookDeliveries: WebhookDeliveryLog;
  readonly idempotency: IdempotencyStore;
  /** Each Stripe account's request budget, shared by every process (the stripe adapter's pacing). */
  readonly stripeRequests: StripeRequestBudget;
  readonly secretBox: SecretBox;
  /** For adapters and tests; use cases go through `unitOfWork`. */
  readonly orm: MikroORM;
  readonly schema: string;
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema ?? 'public';
  const queueSchema = options.queueSchema ?? (schema === 'public' ? 'pgboss' : `${schema}_jobs`);
  if (options.migrate ?? options.embedded) {
    await runMigrations({ url: options.url, schema, lock: !options.embedded });
  } else if (options.requireMigrated) {
    const pending = await pendingMigrations({ url: options.url, schema });
    if (pending.length > 0) throw new MigrationsPendingError(pending);
  }
  const secretBox =
    options.secretBox ??
    (await loadSecretBox({
      value: process.env.ENCRYPTION_KEY,
      previous: process.env.ENCRYPTION_KEY_PREVIOUS,
      // A shared database is read by several processes: a per-process key would lock them out.
      production: process.env.NODE_ENV === 'production' || !options.embedded,
    }));
  // Embedded: three sockets per process, shared by the ORM and the queue (JobQueueOptions.db).
  const orm = await MikroORM.init(
    ormConfig({
      url: options.url,
      schema,
      poolMax: options.embedded ? 3 : (options.poolMax ?? DEFAULT_POOL_MAX),
    }),
  );
  let queue: JobQueue;
  try {
    queue = await JobQueue.start({
      url: options.url,
      schema: queueSchema,
      embedded: options.embedded,
      ...(options.embedded ? { db: fromKnex(orm.em.getConnection().getKnex()) } : {}),
      ...(options.queueMaintenance === false ? { poolMax: ENQUEUE_ONLY_POOL_MAX } : {}),
      queues: mergeQueues(DEFAULT_QUEUES, options.queues),
      ...(options.queueMaintenance === undefined ? {} : { maintenance: options.queueMaintenance }),
      ...(options.onQueueError === undefined ? {} : { onError: options.onQueueError }),
    });
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  const unitOfWork = new SqlUnitOfWork(orm, queue, secretBox, schema);
  const sql = sqlRunner(orm, schema);
  return {
    unitOfWork,
    reads: unitOfWork,
    queue,
    inbox: new InboxStore(orm, queue, schema),
    organizations: new OrganizationStore(orm, secretBox),
    lists: new ListQueries(sql, unitOfWork),
    webhookEndpoints: new WebhookEndpointStore(sql),
    webhooks: new WebhookStore(orm, queue, secretBox),
    webhookDeliveries: new WebhookDeliveryLog(sql),
    idempotency: new IdempotencyStore(sql),
    stripeRequests: new StripeRequestBudget(sql),
    secretBox,
    orm,
    schema,
    async close() {
      await queue.stop();
      await orm.close(true);
    },
  };
}

/** The database lacks migrations and this process was told not to apply them. */
export class MigrationsPendingError extends Error {
  constructor(readonly pending: readonly string[]) {
    super(
      `the database needs ${pending.length} migration(s) (${pending.join(', ')}): run \`pnpm --filter @payrail/persistence db:migrate\` with this DATABASE_URL, or start without MIGRATE_ON_START=false`,
    );
    this.name = 'MigrationsPendingError';
  }
}

export interface DatabaseFromEnvOptions {
  /** `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the embedded database keeps its files; `.data/pglite` under the working directory. */
  readonly dataDir?: string;
  readonly queueMaintenance?: boolean;
}

/**
 * The apps' entry point. With DATABASE_URL: that PostgreSQL, ENCRYPTION_KEY required (every
 * process must share it), pending migrations applied under an advisory lock unless
 * MIGRATE_ON_START=false (then a missing migration stops the start, naming the command); tables in
 * DATABASE_SCHEMA (`public` by default) and jobs in `pgboss` (`<schema>_jobs` beside another). Without: an embedded PGlite whose files
 * live in `dataDir`, migrated at start, with a generated encryption key kept beside the data
 * (`<dataDir>/../encryption.key`) so sealed secrets survive restarts.
 */
export async function openDatabaseFromEnv(options: DatabaseFromEnvOptions = {}): Promise<Database> {
  const env = options.env ?? process.env;
  const production = env.NODE_ENV === 'production';
  const common = options.queueMaintenance === undefined ? {} : { queueMaintenance: options.queueMaintenance };
  if (env.DATABASE_URL) {
    if (!env.ENCRYPTION_KEY) {
      throw new Error(
        'ENCRYPTION_KEY is required with DATABASE_URL: every process must seal secrets with one key',
      );
    }
    const secretBox = await loadSecretBox({
      value: env.ENCRYPTION_KEY,
      previous: env.ENCRYPTION_KEY_PREVIOUS,
      production: true,
    });
    const migrate = parseMigrateOnStart(env.MIGRATE_ON_START);
    const poolMax = parsePoolMax(env.DATABASE_POOL_MAX);
    return openDatabase({
      url: env.DATABASE_URL,
      ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
      embedded: false,
      secretBox,
      migrate,
      requireMigrated: !migrate,
      ...(poolMax === undefined ? {} : { poolMax }),
      ...common,
    });
  }
  const dataDir = resolve(options.dataDir ?? join('.data', 'pglite'));
  const secretBox = await loadSecretBox({
    value: env.ENCRYPTION_KEY,
    previous: env.ENCRYPTION_KEY_PREVIOUS,
    production,
    keyFile: join(dataDir, '..', 'encryption.key'),
  });
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir });
  try {
    const db = await openDatabase({ url: embedded.url, embedded: true, secretBox, migrate: true, ...common });
    return {
      ...db,
      async close() {
        await db.close();
        await embedded.stop();
      },
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/** `DATABASE_POOL_MAX`: unset for the default, else a whole number of connections from 1 to 100. */
export function parsePoolMax(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new Error(`DATABASE_POOL_MAX must be a whole number from 1 to 100, not "${value}"`);
  }
  return n;
}

function parseMigrateOnStart(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`MIGRATE_ON_START must be true or false, not "${value}"`);
}
