/**
 * Throughput of the API over real HTTP on real PostgreSQL, next to a bare Hono hello-world served
 * and measured the same way in the same run (the ratio is the figure to compare across machines).
 * Loopback only, bounded in time, a fresh schema dropped at the end.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test pnpm exec tsx apps/api/bench/run.ts
 *
 * BENCH_SECONDS (default 4) per target, BENCH_CONCURRENCY (default 20).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { openDatabase, SecretBox } from '@payrail/persistence';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { Hono } from 'hono';
import { bootstrapOrganization, buildApiDeps, createApiApp, createJsonLogger } from '../src/index.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required: the benchmark measures the API on real PostgreSQL');
  process.exit(1);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20);
const schema = `bench_api_${randomBytes(4).toString('hex')}`;

function listen(fetch: (req: Request) => Response | Promise<Response>) {
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

interface Target {
  readonly name: string;
  request(i: number): [string, RequestInit];
}

async function measure(target: Target) {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let ok = 0;
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const [u, init] = target.request(n++);
        const t = performance.now();
        const res = await fetch(u, init);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status === 200) ok++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / elapsed, ok, total: latencies.length, p50: at(0.5), p99: at(0.99) };
}

const database = await openDatabase({
  url,
  schema,
  queueSchema: `${schema}_jobs`,
  embedded: false,
  migrate: true,
  secretBox: new SecretBox(randomBytes(32)),
});
const bare = new Hono().get('/hello', (c) => c.json({ hello: 'world' }));
const app = createApiApp(
  buildApiDeps({
    database,
    gateways: new StripeGatewayFactory(),
    signingKey: WebhookSigningKey.generate(),
    settings: { publicBaseUrl: 'https://bench.invalid' },
    logger: createJsonLogger({ level: 'error' }),
    ui: null,
  }),
);
const [bareServer, apiServer] = await Promise.all([listen(bare.fetch), listen(app.fetch)]);
try {
  const { apiKey } = await bootstrapOrganization(database.organizations, { name: 'Bench' });
  const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) =>
    fetch(`${apiServer.url}/api/v1${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  await post('/add_ons', {
    add_on: { name: 'Fee', code: 'fee', amount_cents: 1000, amount_currency: 'USD' },
  });
  await post('/customers', { customer: { external_id: 'bench', name: 'Bench', currency: 'USD' } });
  for (let i = 0; i < 20; i++) {
    await post('/invoices', {
      invoice: { external_customer_id: 'bench', skip_psp: true, fees: [{ add_on_code: 'fee' }] },
    });
  }
  const targets: Target[] = [
    { name: 'bare Hono GET /hello', request: () => [`${bareServer.url}/hello`, {}] },
    { name: 'GET /health', request: () => [`${apiServer.url}/health`, {}] },
    {
      name: 'GET /customers/{id}',
      request: () => [`${apiServer.url}/api/v1/customers/bench`, { headers: auth }],
    },
    {
      name: 'GET /invoices?per_page=20',
      request: () => [`${apiServer.url}/api/v1/invoices?per_page=20`, { headers: auth }],
    },
    {
      name: 'POST /add_ons',
      request: (i) => [
        `${apiServer.url}/api/v1/add_ons`,
        {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            add_on: { name: 'A', code: `a_${i}`, amount_cents: 1, amount_currency: 'USD' },
          }),
        },
      ],
    },
  ];
  let baseline = 0;
  console.log(`concurrency ${concurrency}, ${seconds}s per target`);
  for (const target of targets) {
    const r = await measure(target);
    if (baseline === 0) baseline = r.rps;
    console.log(
      `${target.name.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} req/s  ${(r.rps / baseline).toFixed(3)}× bare  ` +
        `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.ok}/${r.total} ok`,
    );
  }
} finally {
  await Promise.all([bareServer.close(), apiServer.close()]);
  await database.queue.stop();
  const em = database.orm.em.fork();
  await em.execute(`drop schema if exists "${schema}" cascade`);
  await em.execute(`drop schema if exists "${schema}_jobs" cascade`);
  await database.orm.close(true);
}
