export { type EncryptionKeySource, loadSecretBox } from './config/encryption-key.js';
export {
  countNotCurrent,
  type RotationReport,
  rotateSecrets,
  SEALED_COLUMNS,
} from './crypto/rotate-secrets.js';
export { type SealContext, type SealedColumn, SecretBox, sealContext } from './crypto/secret-box.js';
export {
  type Database,
  type DatabaseFromEnvOptions,
  DEFAULT_POOL_MAX,
  MigrationsPendingError,
  type OpenDatabaseOptions,
  openDatabase,
  openDatabaseFromEnv,
  parsePoolMax,
} from './database.js';
export {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded/start-embedded-postgres.js';
export { databaseReady } from './health/database-ready.js';
export { type IdempotencyBegin, IdempotencyStore, type Written } from './idempotency/idempotency-store.js';
export {
  type InboxEvent,
  type InboxEventInput,
  type InboxInsertResult,
  InboxStore,
  insertInboxEvent,
  PROCESS_EVENT_QUEUE,
} from './inbox/inbox-store.js';
export {
  createLogger,
  type JsonLogger,
  type LoggerOptions,
  type LogLevel,
  redact,
} from './logging/logger.js';
export { httpMetrics, routeTemplate } from './metrics/http.js';
export {
  type DeliveryOutcome,
  type JobOutcome,
  Metrics,
  type MetricsOptions,
  type WebhookIngestOutcome,
} from './metrics/metrics.js';
export { type MigrateOptions, pendingMigrations, runMigrations } from './migrate/run-migrations.js';
export {
  type ApiKeySummary,
  type CreatedApiKey,
  hashApiKey,
  hmacKeyContext,
  OrganizationStore,
} from './organizations/organization-store.js';
export { closeHttpServer } from './process/close-http-server.js';
export {
  type ConnectionLabel,
  type CreditNoteFilter,
  type CustomerFilter,
  type InvoiceFilter,
  type InvoicePage,
  ListQueries,
  type PageCustomers,
  type PaymentFilter,
  type PaymentRequestFilter,
} from './queries/list-queries.js';
export type { Page, PageRequest } from './queries/page.js';
export {
  type JobHandler,
  JobQueue,
  type JobRequest,
  type QueuedJob,
  type WorkOptions,
} from './queue/job-queue.js';
export {
  DEFAULT_QUEUES,
  type QueueDefinition,
  RECONCILE_SWEEP_QUEUE,
} from './queue/queue-definitions.js';
export {
  type ReadScope,
  type ReadsOf,
  type ReadTx,
  type TransactionSql,
  transactionSql,
} from './repositories/unit-of-work.js';
export {
  DEFAULT_UI_SESSION_LIFETIMES,
  type ResumedUiSession,
  type StartedUiSession,
  type UiSessionLifetimes,
  UiSessionStore,
} from './sessions/ui-session-store.js';
export { rowMapper, selectRows, sqlRows, tableName } from './sql/rows.js';
export { type BudgetRate, StripeRequestBudget } from './stripe/request-budget.js';
export {
  type WebhookDeliveryFilter,
  WebhookDeliveryLog,
  type WebhookDeliveryRecord,
} from './webhooks/webhook-delivery-log.js';
export {
  MAX_WEBHOOK_ENDPOINTS,
  type SignatureAlgo,
  type WebhookEndpoint,
  type WebhookEndpointFields,
  WebhookEndpointStore,
  type WebhookEndpointWrite,
} from './webhooks/webhook-endpoint-store.js';
export {
  type DeliveryAttempt,
  type DeliveryContext,
  type StoredWebhookEvent,
  WebhookStore,
} from './webhooks/webhook-store.js';
