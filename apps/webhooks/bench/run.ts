/**
 * Throughput of the Stripe webhook receiver: signed events at concurrency 50 against the real app
 * on real PostgreSQL (each 200 is a verified event durably stored with its processing job), next
 * to a bare Hono hello-world measured the same way in the same run. Loopback only, bounded in
 * time. The load generator runs in a worker thread (`load-client.mjs`); the servers share this
 * thread, as they would share a process in production.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm exec tsx apps/webhooks/bench/run.ts
 *
 * BENCH_SECONDS (default 8) per target, BENCH_CONCURRENCY (default 50).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { Secret } from '@payrail/domain';
import { openDatabase, SecretBox } from '@payrail/persistence';
import { Hono } from 'hono';
import { createWebhooksApp } from '../src/app.js';
import { composeWebhooks } from '../src/compose.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required: the benchmark measures durable storage on real PostgreSQL');
  process.exit(1);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const schema = `bench_webhooks_${randomBytes(4).toString('hex')}`;
const secret = `whsec_${randomBytes(24).toString('base64url')}`;

interface Result {
  readonly requests: number;
  readonly ok: number;
  readonly elapsedS: number;
  readonly p50: number;
  readonly p99: number;
}

function listen(fetch: (req: Request) => Response | Promise<Response>) {
  return new Promise<{ port: number; close(): Promise<void> }>((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ port: info.port, close: () => new Promise((done) => server.close(() => done())) }),
    );
  });
}

function drive(port: number, path: string, kind: 'stripe' | 'plain', durationS: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-client.mjs', import.meta.url), {
      workerData: { port, path, kind, secret, seconds: durationS, concurrency },
    });
    worker.once('message', (result: Result) => resolve(result));
    worker.once('error', reject);
  });
}

const db = await openDatabase({
  url,
  schema,
  queueSchema: `${schema}_jobs`,
  embedded: false,
  migrate: true,
  secretBox: new SecretBox(randomBytes(32)),
  queueMaintenance: false,
});
const sql = async (text: string) => (await db.orm.em.fork().execute(text)) as Record<string, unknown>[];
try {
  const organization = await db.organizations.create({ name: 'Bench', documentNumberPrefix: 'BEN' });
  const now = new Date();
  await db.unitOfWork.run(organization.id, (tx) =>
    tx.stripeConnections.insert({
      id: randomUUID(),
      organizationId: organization.id,
      name: 'Stripe',
      code: 'stripe_bench',
      secretKey: new Secret('sk_test_bench'),
      successRedirectUrl: null,
      webhookEndpoint: { providerEndpointId: 'we_bench', signingSecret: new Secret(secret) },
      version: 1,
      createdAt: now,
      updatedAt: now,
    }),
  );

  const webhooks = await listen(createWebhooksApp(composeWebhooks({ db })).fetch);
  const hello = new Hono();
  hello.post('/hello', (c) => c.json({ hello: 'world' }));
  const bare = await listen(hello.fetch);
  const webhookPath = `/webhooks/stripe/${organization.id}?code=stripe_bench`;

  // Warm-up: JIT, connection pools, the secret cache.
  await drive(bare.port, '/hello', 'plain', 1);
  await drive(webhooks.port, webhookPath, 'stripe', 1);

  const count = async (table: string, where = '') =>
    Number((await sql(`select count(*)::int as n from ${table} ${where}`))[0]?.n);
  const inbox = `"${schema}".stripe_inbox_events`;
  const jobs = `"${schema}_jobs".job`;
  const jobsWhere = "where name = 'stripe.process_event'";
  const [rowsBefore, jobsBefore] = [await count(inbox), await count(jobs, jobsWhere)];
  const baseline = await drive(bare.port, '/hello', 'plain', seconds);
  const receiver = await drive(webhooks.port, webhookPath, 'stripe', seconds);
  const stored = (await count(inbox)) - rowsBefore;
  const queued = (await count(jobs, jobsWhere)) - jobsBefore;

  const rate = (r: Result) => r.ok / r.elapsedS;
  const line = (name: string, r: Result) =>
    `${name.padEnd(27)} ${rate(r).toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   (${r.ok}/${r.requests} ok)`;
  console.log(`concurrency ${concurrency}, ${seconds} s per target, PostgreSQL at ${new URL(url).host}`);
  console.log(line('hono hello-world', baseline));
  console.log(line('webhooks (verify + store)', receiver));
  console.log(`stored: ${stored} inbox rows and ${queued} processing jobs for ${receiver.ok} answers 200`);
  console.log(
    `ratio webhooks / hello-world: throughput ${(rate(receiver) / rate(baseline)).toFixed(3)}, ` +
      `p50 ${(receiver.p50 / baseline.p50).toFixed(2)}x, p99 ${(receiver.p99 / baseline.p99).toFixed(2)}x`,
  );
  console.log(`target of 1,500 verified and stored events/s: ${rate(receiver) >= 1500 ? 'met' : 'not met'}`);
  if (stored !== receiver.ok || queued !== receiver.ok)
    console.log('WARNING: stored rows or jobs differ from 200 answers');

  await webhooks.close();
  await bare.close();
} finally {
  await sql(`drop schema if exists "${schema}" cascade`);
  await sql(`drop schema if exists "${schema}_jobs" cascade`);
  await db.close();
}
