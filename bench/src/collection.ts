/**
 * `node bench/dist/collection.js [--invoices N] [--customers C] [--rate R] [--workers W]
 *   [--latency-samples K] [--profile DIR] [--keep-database] [--unpaced] [--json]`
 *
 * The collection pipeline in its production shape: the API, the webhook receiver, W workers and
 * the Stripe emulator, each its own process, on one PostgreSQL database. The emulator admits R
 * requests per second for the account (Stripe's live-mode limit is 100, test mode's 25) and the
 * processes pace their Stripe calls to it (decision 0920; `--unpaced`: they leave it to 429s), C
 * customers have a card saved through hosted checkout, then this process (the load, in a process
 * of its own) bills N invoices through the API as fast as the API takes them and waits until every
 * one is settled and every outgoing webhook delivered. One PaymentIntent per invoice is the least
 * Stripe can be asked, so R invoices per second is the ceiling: the figure is the rate reached as a
 * share of it. Also measured: how long an invoice on an idle system waits for its PaymentIntent
 * (K invoices one at a time), PaymentIntents per invoice (duplicates), and the CPU each process
 * spent per invoice. `--json` prints the result as one JSON line on stdout (`pnpm bench` reads it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrapOrganization } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { loadSecretBox, openDatabase } from '@payrail/persistence';
import { CpuMeter, type RunningProcesses, startProcesses } from '@payrail/standalone';
import { emulatorControls } from '@payrail/stripe-emulator';
import pg from 'pg';
import Stripe from 'stripe';

const { values } = parseArgs({
  options: {
    invoices: { type: 'string', default: '1000' },
    customers: { type: 'string', default: '100' },
    rate: { type: 'string', default: '100' },
    workers: { type: 'string', default: '1' },
    'latency-samples': { type: 'string', default: '40' },
    lanes: { type: 'string', default: '16' },
    profile: { type: 'string' },
    'keep-database': { type: 'boolean', default: false },
    // The processes leave pacing to Stripe's 429s, as before decision 0920: for comparison.
    unpaced: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});
const invoiceCount = Number(values.invoices);
const customerCount = Number(values.customers);
const rate = Number(values.rate);
const workerCount = Number(values.workers);
const latencySamples = Number(values['latency-samples']);
const lanes = Number(values.lanes);

const log = (line: string) => console.error(`bench collection: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = `payrail_bench_collection_${process.pid}`;
const databaseUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

/** The merchant's endpoint for outgoing webhooks: answers 200 and counts. */
function merchantReceiver(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200).end();
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
        received: () => received,
      }),
    ),
  );
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export interface CollectionResult {
  readonly invoices: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly ratio: number;
  readonly duplicates: number;
  /** Requests Stripe (the emulator) took, and answered 429, while the invoices were collected. */
  readonly stripeRequests: { readonly admitted: number; readonly refused: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly cpuMsPerInvoice: Record<string, number>;
}

async function main(): Promise<CollectionResult> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.query(`create database "${dbName}"`);
  const logDir = await mkdtemp(join(tmpdir(), 'payrail-bench-collection-'));
  log(`database ${dbName}, process logs in ${logDir}`);
  const encryptionKey = randomBytes(32).toString('hex');
  const merchant = await merchantReceiver();
  let running: RunningProcesses | null = null;
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    const profileDir = values.profile ? resolve(values.profile) : undefined;
    running = await startProcesses({
      databaseUrl,
      encryptionKey,
      signingKeyPem: WebhookSigningKey.generate().privateKeyPem(),
      workers: workerCount,
      output: { logDir },
      readyTimeoutMs: 180_000,
      // The account's limit as the emulator enforces it below: what every process paces to.
      env: {
        LOG_LEVEL: 'warn',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback',
        STRIPE_TEST_REQUESTS_PER_SECOND: values.unpaced ? '0' : String(rate),
      },
      ...(profileDir === undefined
        ? {}
        : {
            nodeArgs: Object.fromEntries(
              (['api', 'webhooks', 'worker', 'emulator'] as const).map((role) => [
                role,
                ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
              ]),
            ),
          }),
    });
    const system = running;
    await db.connect();
    const controls = emulatorControls(system.stripeApiBase);
    const secretBox = await loadSecretBox({ value: encryptionKey, production: true });
    const database = await openDatabase({
      url: databaseUrl,
      embedded: false,
      secretBox,
      queueMaintenance: false,
    });
    const org = await bootstrapOrganization(database.organizations, { name: 'Collection bench' });
    await database.close();

    const call = async (method: string, path: string, body?: unknown) => {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(`${system.apiUrl}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${org.apiKey}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        if (response.status < 500 || attempt >= 3) {
          // biome-ignore lint/suspicious/noExplicitAny: wire answers read loosely in a bench
          return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as any };
        }
        await sleep(200);
      }
    };
    const must = async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body);
      if (r.status !== 200)
        throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    };

    const secretKey = `sk_test_bench_${randomBytes(6).toString('hex')}`;
    const connection = await must('POST', '/stripe_connections', {
      stripe_connection: { name: 'Stripe (bench)', code: 'stripe_bench', secret_key: secretKey },
    });
    await must('POST', '/webhook_endpoints', {
      webhook_endpoint: { webhook_url: merchant.url, signature_algo: 'hmac' },
    });
    await must('POST', '/add_ons', {
      add_on: { name: 'Service', code: 'service', amount_cents: 1_000, amount_currency: 'USD' },
    });

    // ---- customers, each with a card saved through hosted checkout and made the default ----
    log(`setting up ${customerCount} customers`);
    const customers = Array.from({ length: customerCount }, (_, i) => `bench_${i}`);
    let next = 0;
    const ready: string[] = [];
    await Promise.all(
      Array.from({ length: Math.min(lanes, customers.length) }, async () => {
        while (next < customers.length) {
          const id = customers[next++] as string;
          await must('POST', '/customers', {
            customer: {
              external_id: id,
              name: `Customer ${id}`,
              email: `${id}@example.test`,
              currency: 'USD',
              billing_configuration: {
                payment_provider: 'stripe',
                payment_provider_code: connection.stripe_connection.code,
                sync_with_provider: true,
                provider_payment_methods: ['card'],
              },
            },
          });
          const link = await until(async () => {
            const r = await call('POST', `/customers/${id}/checkout_url`);
            return r.status === 200 ? (r.body.customer.checkout_url as string) : undefined;
          }, 60_000);
          if (!link) throw new Error(`customer ${id}: no checkout link`);
          const session = new URL(link).pathname.split('/').pop() as string;
          await controls.completeCheckout(session, { instrument: 'card_visa' });
          const hasDefault = await until(async () => {
            const r = await call('GET', `/customers/${id}/payment_methods`);
            return r.body?.payment_methods?.some((m: { is_default: boolean }) => m.is_default)
              ? true
              : undefined;
          }, 60_000);
          if (!hasDefault) throw new Error(`customer ${id}: no default payment method`);
          ready.push(id);
        }
      }),
    );
    const settledCount = async () => {
      const { rows } = await db.query(
        `select count(*)::int as n from invoices where payment_status in ('succeeded', 'failed')`,
      );
      return rows[0].n as number;
    };
    const pendingJobs = async () => {
      const { rows } = await db.query(
        `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')
           and name not in ('payment.reconcile_sweep', '__pgboss__send-it')`,
      );
      return rows[0].n as number;
    };
    await until(async () => ((await pendingJobs()) === 0 ? true : undefined), 120_000, 250);

    // ---- latency on an idle system: one invoice at a time ----
    const stripe = new Stripe(secretKey, {
      host: new URL(system.stripeApiBase).hostname,
      port: Number(new URL(system.stripeApiBase).port),
      protocol: 'http',
      telemetry: false,
    });
    const latencies: number[] = [];
    for (let i = 0; i < latencySamples; i++) {
      const customer = ready[i % ready.length] as string;
      const before = await settledCount();
      const started = performance.now();
      const created = await must('POST', '/invoices', {
        invoice: {
          external_customer_id: customer,
          currency: 'USD',
          fees: [{ add_on_code: 'service', units: 1 }],
        },
      });
      const invoiceId = created.invoice.lago_id as string;
      // The emulator records a PaymentIntent the moment Payrail's create call reaches it.
      const seen = await until(
        async () => {
          const newest = await stripe.paymentIntents.list({ limit: 1 });
          return newest.data[0]?.metadata?.lago_invoice_id === invoiceId ? performance.now() : undefined;
        },
        30_000,
        2,
      );
      if (seen === undefined) throw new Error(`invoice ${invoiceId}: no PaymentIntent within 30 s`);
      latencies.push(seen - started);
      await until(async () => ((await settledCount()) > before ? true : undefined), 30_000, 20);
      await until(async () => ((await pendingJobs()) === 0 ? true : undefined), 30_000, 20);
    }
    latencies.sort((a, b) => a - b);

    // ---- throughput under the account's rate limit ----
    await controls.setRateLimit(rate);
    const baseline = await settledCount();
    const cpu = new CpuMeter(() => system.all);
    cpu.start(1_000);
    const started = performance.now();
    let made = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (made < invoiceCount) {
          const i = made++;
          await must('POST', '/invoices', {
            invoice: {
              external_customer_id: ready[i % ready.length],
              currency: 'USD',
              fees: [{ add_on_code: 'service', unit_amount_cents: 500 + (i % 5_000), units: 1 }],
            },
          });
        }
      }),
    );
    log(`${invoiceCount} invoices created in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    let lastLog = performance.now();
    for (;;) {
      const settled = (await settledCount()) - baseline;
      if (settled >= invoiceCount) break;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(
          `${settled}/${invoiceCount} settled after ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      await sleep(100);
    }
    const collectedSeconds = (performance.now() - started) / 1000;
    await until(async () => ((await pendingJobs()) === 0 ? true : undefined), 600_000, 250);
    const used = cpu.stop();
    const stripeRequests = await controls.rateLimit();
    await controls.setRateLimit(null);

    // ---- what Stripe saw ----
    const { rows: counts } = await db.query(`select count(*)::int as n from invoices`);
    const perInvoice = new Map<string, number>();
    for await (const pi of stripe.paymentIntents.list({ limit: 100 })) {
      const id = pi.metadata?.lago_invoice_id;
      if (id) perInvoice.set(id, (perInvoice.get(id) ?? 0) + 1);
    }
    const duplicates = [...perInvoice.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
    const perSecond = invoiceCount / collectedSeconds;
    const cpuMsPerInvoice = Object.fromEntries(
      Object.entries(used.milliseconds).map(([role, ms]) => [
        role,
        Math.round((ms / invoiceCount) * 10) / 10,
      ]),
    );
    const result: CollectionResult = {
      invoices: invoiceCount,
      seconds: Math.round(collectedSeconds * 10) / 10,
      perSecond: Math.round(perSecond * 10) / 10,
      ratio: Math.round((perSecond / rate) * 1000) / 1000,
      duplicates,
      stripeRequests: { admitted: stripeRequests.admitted, refused: stripeRequests.refused },
      latency: {
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
        max: Math.round(latencies.at(-1) ?? Number.NaN),
      },
      cpuMsPerInvoice,
    };
    log(`${counts[0].n} invoices stored, ${perInvoice.size} with a PaymentIntent`);
    (values.json ? console.error : console.log)(
      `collection: ${invoiceCount} invoices at ${rate} req/s: ${result.perSecond}/s (${result.ratio}× the limit) in ${result.seconds} s; ` +
        `duplicate PaymentIntents ${duplicates}; Stripe requests ${stripeRequests.admitted} (429s ${stripeRequests.refused}); idle PaymentIntent latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (${latencies.length} samples); ` +
        `CPU ms per invoice ${Object.entries(cpuMsPerInvoice)
          .map(([r, ms]) => `${r} ${ms}`)
          .join(', ')}; machine busy ${Math.round((used.machineBusy ?? 0) * 100)}%`,
    );
    if (values.json) console.log(JSON.stringify(result));
    return result;
  } finally {
    await running?.stop(30_000).catch(() => undefined);
    await db.end().catch(() => undefined);
    merchant.server.close();
    if (!values['keep-database']) await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

await main();
process.exit(0);
