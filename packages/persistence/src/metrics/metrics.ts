import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../database.js';
import { quoteIdent } from '../sql/quote.js';

/** Seconds; from a fast API read to a Stripe call that waits for a slow bank. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type JobOutcome = 'completed' | 'parked' | 'retry' | 'failed';
export type WebhookIngestOutcome = 'stored' | 'duplicate' | 'ignored' | 'rejected' | 'unavailable';
export type DeliveryOutcome = 'succeeded' | 'http_error' | 'network_error';

export interface MetricsOptions {
  /** `api`, `webhooks` or `worker`: the `service` label on every series. */
  readonly service: string;
  /**
   * Adds gauges read from the database at each scrape: queue depth and age per queue, payments per
   * status. One process per deployment is enough to expose them (the worker does).
   */
  readonly database?: Database;
}

/**
 * One Prometheus registry per process, with every series Payrail exposes. Apps record through
 * these methods; `/metrics` answers with `text()`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  readonly #requests: Counter<'route' | 'method' | 'status'>;
  readonly #requestSeconds: Histogram<'route' | 'method' | 'status'>;
  readonly #jobs: Counter<'queue' | 'outcome'>;
  readonly #jobSeconds: Histogram<'queue' | 'outcome'>;
  readonly #stripeCalls: Counter<'operation' | 'outcome'>;
  readonly #stripeSeconds: Histogram<'operation'>;
  readonly #webhookIngest: Counter<'outcome'>;
  readonly #deliveries: Counter<'outcome'>;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'payrail_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status code',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.#requestSeconds = new Histogram({
      name: 'payrail_http_request_duration_seconds',
      help: 'HTTP request latency, by route template, method and status code',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#jobs = new Counter({
      name: 'payrail_jobs_total',
      help: 'Jobs run, by queue and outcome (completed, parked, retry, failed)',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.#jobSeconds = new Histogram({
      name: 'payrail_job_duration_seconds',
      help: 'Job run time, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#stripeCalls = new Counter({
      name: 'payrail_stripe_requests_total',
      help: 'HTTP requests to Stripe, by operation and outcome (ok, rate_limited, client_error, server_error)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.#stripeSeconds = new Histogram({
      name: 'payrail_stripe_request_duration_seconds',
      help: 'Latency of HTTP requests to Stripe, by operation',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#webhookIngest = new Counter({
      name: 'payrail_stripe_webhooks_received_total',
      help: 'Stripe webhook events received, by outcome (stored, duplicate, ignored, rejected, unavailable)',
      labelNames: ['outcome'],
      registers,
    });
    this.#deliveries = new Counter({
      name: 'payrail_webhook_deliveries_total',
      help: 'Outgoing webhook delivery attempts, by outcome (succeeded, http_error, network_error)',
      labelNames: ['outcome'],
      registers,
    });
    if (options.database) registerDatabaseGauges(this.registry, options.database);
  }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const labels = { route, method, status: String(status) };
    this.#requests.inc(labels);
    this.#requestSeconds.observe(labels, seconds);
  }

  observeJob(queue: string, outcome: JobOutcome, seconds: number): void {
    this.#jobs.inc({ queue, outcome });
    this.#jobSeconds.observe({ queue, outcome }, seconds);
  }

  /** One HTTP response from Stripe (the SDK's `response` event); 429s count as `rate_limited`. */
  observeStripeCall(operation: string, status: number, seconds: number): void {
    this.#stripeCalls.inc({ operation, outcome: stripeOutcome(status) });
    this.#stripeSeconds.observe({ operation }, seconds);
  }

  observeWebhookIngest(outcome: WebhookIngestOutcome): void {
    this.#webhookIngest.inc({ outcome });
  }

  observeDelivery(outcome: DeliveryOutcome): void {
    this.#deliveries.inc({ outcome });
  }

  /** The exposition text for `/metrics`. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

function stripeOutcome(status: number): string {
  if (status === 429) return 'rate_limited';
  if (status >= 200 && status < 300) return 'ok';
  return status >= 500 ? 'server_error' : 'client_error';
}

/** Gauges computed by SQL when scraped, so every process reports the deployment's true state. */
function registerDatabaseGauges(registry: Registry, database: Database): void {
  const jobs = `${quoteIdent(database.queue.schema)}.job`;
  const payments = `${quoteIdent(database.schema)}."payments"`;
  // A scrape while the database is away reports the other series and leaves these empty.
  const run = async (sql: string) => {
    try {
      return (await database.orm.em.getConnection().execute(sql)) as Record<string, unknown>[];
    } catch {
      return [];
    }
  };
  new Gauge({
    name: 'payrail_queue_jobs',
    help: 'Jobs waiting (created, retry) or running (active), by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await run(
        `SELECT name, state::text AS state, count(*)::int AS n FROM ${jobs} WHERE state IN ('created','retry','active') GROUP BY name, state`,
      );
      for (const r of rows) this.set({ queue: String(r.name), state: String(r.state) }, Number(r.n));
    },
  });
  new Gauge({
    name: 'payrail_queue_oldest_ready_job_age_seconds',
    help: 'Age of the oldest job that could run now but has not started, by queue (0 when none)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await run(
        `SELECT name, extract(epoch FROM now() - min(start_after))::float AS age FROM ${jobs} WHERE state IN ('created','retry') AND start_after <= now() GROUP BY name`,
      );
      for (const r of rows) this.set({ queue: String(r.name) }, Math.max(0, Number(r.age)));
    },
  });
  new Gauge({
    name: 'payrail_payments',
    help: 'Payments by status (succeeded and failed are final)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await run(`SELECT status, count(*)::int AS n FROM ${payments} GROUP BY status`);
      for (const r of rows) this.set({ status: String(r.status) }, Number(r.n));
    },
  });
}
