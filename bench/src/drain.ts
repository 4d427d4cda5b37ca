/**
 * `node bench/dist/drain.js [--deliveries N] [--events N] [--backlog N] [--profile DIR]
 *   [--keep-database]`
 *
 * The worker alone, draining queued jobs, in its production shape (its own process, started by the
 * launcher with the API and the webhook receiver, on PostgreSQL). Cheaper than the collection
 * bench when only the worker changes: no Stripe, no rate limit, no API load while it runs.
 * Phases, each queued while the worker is stopped (SIGSTOP) and then drained:
 * - `deliveries`: N `webhook.deliver` jobs (`invoice.payment_status_updated` of a few invoices) to
 *   one HMAC-signed endpoint answering 200;
 * - `events`: N `stripe.process_event` jobs for PaymentIntents Payrail does not know (stored, then
 *   skipped), as the webhook ingest load leaves them;
 * - `backlog`: N jobs, two events per delivery, the worker's peak RSS while it drains them.
 * Printed per phase: jobs/s, the worker's CPU ms per job, its peak RSS.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrapOrganization } from '@payrail/api';
import { type OutgoingEvent, Secret } from '@payrail/domain';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { type Database, loadSecretBox, openDatabase } from '@payrail/persistence';
import { type RunningProcesses, startProcesses } from '@payrail/standalone';
import pg from 'pg';
import { signedStripeEvent } from './load.js';
import { cpuSeconds, rssMb } from './measure.js';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '2000' },
    events: { type: 'string', default: '2000' },
    backlog: { type: 'string', default: '0' },
    invoices: { type: 'string', default: '20' },
    profile: { type: 'string' },
    'keep-database': { type: 'boolean', default: false },
  },
  strict: true,
});

const log = (line: string) => console.error(`bench drain: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = `payrail_bench_drain_${process.pid}`;
const databaseUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

function receiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` }),
    ),
  );
}

interface Setup {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly invoiceIds: readonly string[];
}

async function queueDeliveries(db: Database, setup: Setup, n: number): Promise<void> {
  for (let done = 0; done < n; ) {
    const batch = Math.min(500, n - done);
    await db.unitOfWork.run(setup.organizationId, async (tx) => {
      for (let i = 0; i < batch; i++) {
        const invoiceId = setup.invoiceIds[(done + i) % setup.invoiceIds.length] as string;
        await tx.outbox.publish({
          id: randomUUID(),
          organizationId: setup.organizationId,
          occurredAt: new Date(),
          type: 'invoice.payment_status_updated',
          objectType: 'invoice',
          data: { lago_invoice_id: invoiceId },
        } as OutgoingEvent);
      }
    });
    done += batch;
  }
}

async function queueEvents(db: Database, setup: Setup, n: number): Promise<void> {
  for (let done = 0; done < n; ) {
    const batch = Math.min(1000, n - done);
    await Promise.all(
      Array.from({ length: batch }, () => {
        const { body } = signedStripeEvent('whsec_unused');
        const event = JSON.parse(body) as { id: string; type: string; created: number };
        return db.inbox.insert({
          organizationId: setup.organizationId,
          connectionId: setup.connectionId,
          stripeEventId: event.id,
          type: event.type,
          createdAt: new Date(event.created * 1000),
          payload: body,
        });
      }),
    );
    done += batch;
  }
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.query(`create database "${dbName}"`);
  const logDir = await mkdtemp(join(tmpdir(), 'payrail-bench-drain-'));
  log(`database ${dbName}, process logs in ${logDir}`);
  const encryptionKey = randomBytes(32).toString('hex');
  const merchant = await receiver();
  const profileDir = values.profile ? resolve(values.profile) : undefined;
  let running: RunningProcesses | null = null;
  const probe = new pg.Client({ connectionString: databaseUrl });
  let db: Database | null = null;
  try {
    running = await startProcesses({
      databaseUrl,
      encryptionKey,
      signingKeyPem: WebhookSigningKey.generate().privateKeyPem(),
      workers: 1,
      // Nothing here calls Stripe; an address that refuses keeps it that way.
      stripeApiBase: 'http://127.0.0.1:9',
      output: { logDir },
      readyTimeoutMs: 180_000,
      env: { LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback' },
      ...(profileDir === undefined
        ? {}
        : { nodeArgs: { worker: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } }),
    });
    const system = running;
    const worker = system.workers[0];
    const pid = worker?.pid();
    if (worker === undefined || pid === undefined) throw new Error('no worker');
    await probe.connect();
    const secretBox = await loadSecretBox({ value: encryptionKey, production: true });
    db = await openDatabase({ url: databaseUrl, embedded: false, secretBox, queueMaintenance: false });
    const org = await bootstrapOrganization(db.organizations, { name: 'Drain bench' });
    const call = async (path: string, body: unknown) => {
      const response = await fetch(`${system.apiUrl}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
      // biome-ignore lint/suspicious/noExplicitAny: wire answers read loosely in a bench
      return JSON.parse(text) as any;
    };
    await call('/webhook_endpoints', {
      webhook_endpoint: { webhook_url: merchant.url, signature_algo: 'hmac' },
    });
    await call('/add_ons', {
      add_on: { name: 'Service', code: 'service', amount_cents: 1_000, amount_currency: 'USD' },
    });
    const invoiceIds: string[] = [];
    for (let i = 0; i < Number(values.invoices); i++) {
      const id = `drain_${i}`;
      await call('/customers', { customer: { external_id: id, name: `Customer ${i}`, currency: 'USD' } });
      const created = await call('/invoices', {
        invoice: { external_customer_id: id, currency: 'USD', fees: [{ add_on_code: 'service', units: 1 }] },
      });
      invoiceIds.push(created.invoice.lago_id as string);
    }
    const connectionId = randomUUID();
    const now = new Date();
    await db.unitOfWork.run(org.organizationId, (tx) =>
      tx.stripeConnections.insert({
        id: connectionId,
        organizationId: org.organizationId,
        name: 'Stripe',
        code: 'stripe_drain',
        secretKey: new Secret('sk_test_drain'),
        successRedirectUrl: null,
        webhookEndpoint: { providerEndpointId: 'we_drain', signingSecret: new Secret('whsec_unused') },
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const setup: Setup = { organizationId: org.organizationId, connectionId, invoiceIds };

    const pending = async () => {
      const { rows } = await probe.query(
        `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')
           and name in ('webhook.deliver', 'stripe.process_event')`,
      );
      return rows[0].n as number;
    };
    const settle = async () => {
      const deadline = Date.now() + 120_000;
      while ((await pending()) > 0 && Date.now() < deadline) await sleep(250);
    };
    await settle();

    // The worker's own view of its heap and its GC time (prom-client's default metrics).
    const workerMetrics = async () => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      const value = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
      return {
        heapUsed: value('nodejs_heap_size_used_bytes'),
        gcSeconds: value('nodejs_gc_duration_seconds_sum'),
      };
    };
    const phase = async (name: string, queue: () => Promise<number>) => {
      process.kill(pid, 'SIGSTOP');
      const jobs = await queue();
      const rssBefore = (await rssMb(pid)) ?? 0;
      const cpuBefore = (await cpuSeconds(pid)) ?? 0;
      process.kill(pid, 'SIGCONT');
      const started = performance.now();
      const gcBefore = (await workerMetrics()).gcSeconds;
      let heapPeak = 0;
      const heapSampler = setInterval(async () => {
        const m = await workerMetrics().catch(() => null);
        if (m && m.heapUsed > heapPeak) heapPeak = m.heapUsed;
      }, 2000);
      let peak = rssBefore;
      const sampler = setInterval(async () => {
        const mb = await rssMb(pid);
        if (mb !== null && mb > peak) peak = mb;
      }, 100);
      let left = jobs;
      while (left > 0) {
        await sleep(100);
        left = await pending();
      }
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      clearInterval(heapSampler);
      const cpu = ((await cpuSeconds(pid)) ?? 0) - cpuBefore;
      const gc = (await workerMetrics()).gcSeconds - gcBefore;
      console.log(
        `drain ${name}: ${jobs} jobs in ${seconds.toFixed(1)} s (${(jobs / seconds).toFixed(0)}/s); ` +
          `worker CPU ${((cpu * 1000) / jobs).toFixed(2)} ms per job; RSS ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB; ` +
          `heap used peak ${(heapPeak / 2 ** 20).toFixed(0)} MB; GC ${((gc * 1000) / jobs).toFixed(2)} ms per job`,
      );
    };
    const deliveries = Number(values.deliveries);
    const events = Number(values.events);
    const backlog = Number(values.backlog);
    const activeDb = db;
    if (deliveries > 0)
      await phase('deliveries', async () => {
        await queueDeliveries(activeDb, setup, deliveries);
        return deliveries;
      });
    if (events > 0)
      await phase('events', async () => {
        await queueEvents(activeDb, setup, events);
        return events;
      });
    if (backlog > 0)
      await phase('backlog', async () => {
        const d = Math.round(backlog / 3);
        log(`queueing ${d} deliveries and ${backlog - d} events`);
        await queueDeliveries(activeDb, setup, d);
        await queueEvents(activeDb, setup, backlog - d);
        return backlog;
      });
  } finally {
    await db?.close().catch(() => undefined);
    await running?.stop(30_000).catch(() => undefined);
    await probe.end().catch(() => undefined);
    merchant.server.close();
    if (!values['keep-database']) await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

await main();
process.exit(0);
