import { parsePrivateTargets, WebhookSigningKey } from '@payrail/lago-wire';
import type { LogLevel } from '@payrail/persistence';
import { STRIPE_LIVE_REQUESTS_PER_SECOND, STRIPE_TEST_REQUESTS_PER_SECOND } from '@payrail/stripe-adapter';
import { z } from 'zod';
import { DEFAULT_WORKER_SETTINGS, type WorkerSettings } from './settings.js';

const int = (min: number, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const Env = z.object({
  PUBLIC_BASE_URL: z.url(),
  API_URL: z.url().optional(),
  WEBHOOK_SIGNING_PRIVATE_KEY: z.string().min(1),
  STRIPE_API_BASE: z.url().optional(),
  // Each Stripe account's request limit, paced to across processes (decision 0920); 0: unpaced.
  STRIPE_LIVE_REQUESTS_PER_SECOND: int(0, STRIPE_LIVE_REQUESTS_PER_SECOND, 100_000),
  STRIPE_TEST_REQUESTS_PER_SECOND: int(0, STRIPE_TEST_REQUESTS_PER_SECOND, 100_000),
  WORKER_CONCURRENCY: int(1, 2),
  // Bounded by the queues' retry limits (webhook.deliver 14, stripe.process_event 12) plus the first run.
  WEBHOOK_ATTEMPTS: int(1, 15, 15),
  WEBHOOK_TIMEOUT_SECONDS: int(1, 30),
  WEBHOOK_CONCURRENCY: int(1, 8, 64),
  WEBHOOK_ORGANIZATION_CONCURRENCY: int(1, 5, 64),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parsePrivateTargets(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  INBOX_NOT_FOUND_ATTEMPTS: int(1, 8, 13),
  RECONCILE_CRON: z.string().min(9).default('* * * * *'),
  RECONCILE_AFTER_SECONDS: int(0, 900),
  RECONCILE_MAX_INTERVAL_SECONDS: int(10, 21600),
  RECONCILE_BATCH_SIZE: int(1, 100),
  INBOX_REDRIVE_AFTER_SECONDS: int(60, 7200),
  EXHAUSTED_JOBS_RETRY_AFTER_SECONDS: int(60, 1800),
  DISPUTE_CHECK_EVERY_SECONDS: int(60, 3600),
  // The backoff doubles from here to a day between looks.
  METHOD_CHECK_AFTER_SECONDS: int(60, 900, 86_400),
  STOP_TIMEOUT_SECONDS: int(0, 10),
  HOST: z.string().min(1).default('0.0.0.0'),
  WORKER_HTTP_PORT: int(0, 3002, 65535),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export interface WorkerConfig {
  readonly publicBaseUrl: string;
  readonly apiUrl: string;
  readonly signingKey: WebhookSigningKey;
  readonly stripeApiBase: string | undefined;
  /** Requests per second each Stripe account is paced to, by the mode of its key. */
  readonly stripeRates: { readonly livePerSecond: number; readonly testPerSecond: number };
  readonly settings: Omit<WorkerSettings, 'webhookIssuer' | 'reconcile'> & {
    readonly reconcile: Omit<WorkerSettings['reconcile'], 'queue'>;
  };
  readonly logLevel: LogLevel;
  /** `/health`, `/ready` and `/metrics` of this worker. */
  readonly http: { readonly host: string; readonly port: number };
}

/**
 * Reads the worker's environment once. A missing or malformed variable stops the start with a
 * message that names it. DATABASE_URL and ENCRYPTION_KEY are read by persistence.
 */
export function parseWorkerEnv(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`worker configuration: ${problems}`);
  }
  const e = parsed.data;
  let signingKey: WebhookSigningKey;
  try {
    signingKey = WebhookSigningKey.fromEnv(env);
  } catch (error) {
    throw new Error(`worker configuration: ${(error as Error).message}`);
  }
  return {
    publicBaseUrl: e.PUBLIC_BASE_URL,
    apiUrl: e.API_URL ?? e.PUBLIC_BASE_URL,
    signingKey,
    stripeApiBase: e.STRIPE_API_BASE,
    stripeRates: {
      livePerSecond: e.STRIPE_LIVE_REQUESTS_PER_SECOND,
      testPerSecond: e.STRIPE_TEST_REQUESTS_PER_SECOND,
    },
    settings: {
      concurrency: e.WORKER_CONCURRENCY,
      notFoundAttempts: e.INBOX_NOT_FOUND_ATTEMPTS,
      webhookAttempts: e.WEBHOOK_ATTEMPTS,
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
      webhookConcurrency: e.WEBHOOK_CONCURRENCY,
      webhookOrganizationConcurrency: e.WEBHOOK_ORGANIZATION_CONCURRENCY,
      webhookPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      reconcile: {
        cron: e.RECONCILE_CRON,
        olderThanMs: e.RECONCILE_AFTER_SECONDS * 1000,
        maxIntervalMs: e.RECONCILE_MAX_INTERVAL_SECONDS * 1000,
        batchSize: e.RECONCILE_BATCH_SIZE,
        inboxRedriveAfterMs: e.INBOX_REDRIVE_AFTER_SECONDS * 1000,
        exhaustedJobsRetryAfterMs: e.EXHAUSTED_JOBS_RETRY_AFTER_SECONDS * 1000,
      },
      disputeChecks: { everyMs: e.DISPUTE_CHECK_EVERY_SECONDS * 1000 },
      waitingCollections: {
        firstCheckAfterMs: e.METHOD_CHECK_AFTER_SECONDS * 1000,
        maxIntervalMs: DEFAULT_WORKER_SETTINGS.waitingCollections.maxIntervalMs,
      },
      stopTimeoutMs: e.STOP_TIMEOUT_SECONDS * 1000,
    },
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.WORKER_HTTP_PORT },
  };
}
