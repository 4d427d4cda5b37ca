/**
 * The worker as production runs it: `node apps/worker/dist/main.js` as a real child process on an
 * empty schema, with its own small HTTP server for health, readiness and metrics, reaching
 * PostgreSQL through a proxy the test can cut.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { type Database, openDatabase, SecretBox } from '@payrail/persistence';
import {
  type ChildService,
  freePort,
  freshSchema,
  spawnService,
  startTcpProxy,
  type TcpProxy,
  testDatabaseTarget,
  waitForHttp,
} from '@payrail/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the worker process', () => {
  const { url, embedded } = testDatabaseTarget();
  const schema = freshSchema(url, 'proc_wk');
  let proxy: TcpProxy;
  let worker: ChildService;
  let base: string;
  let db: Database | undefined;

  beforeAll(async () => {
    proxy = await startTcpProxy(url);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = spawnService(MAIN, {
      DATABASE_URL: proxy.url,
      DATABASE_SCHEMA: schema.name,
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PUBLIC_BASE_URL: 'https://payrail.example.test',
      WEBHOOK_SIGNING_PRIVATE_KEY: WebhookSigningKey.generate().privateKeyPem(),
      HOST: '127.0.0.1',
      WORKER_HTTP_PORT: String(port),
      LOG_LEVEL: 'silent',
    });
    await waitForHttp(`${base}/ready`, (s) => s === 200, { service: worker });
    db = await openDatabase({
      url,
      schema: schema.name,
      embedded,
      migrate: false,
      secretBox: new SecretBox(randomBytes(32)),
      queueMaintenance: false,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await db?.close();
    await proxy?.stop();
    await schema.drop();
  });

  it('answers /health and /ready on its own port', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({
      status: 'ready',
      checks: { database: true },
    });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('reports jobs by queue and outcome, and queue depth, on /metrics', async () => {
    if (!db) throw new Error('no database');
    await db.queue.enqueue({ name: 'stripe.process_event', payload: { inboxId: randomUUID() } });
    await db.queue.enqueue({
      name: 'stripe.create_customer',
      payload: { organizationId: randomUUID(), customerId: randomUUID() },
      runAt: new Date(Date.now() + 3_600_000),
    });
    const { body } = await waitForHttp(`${base}/metrics`, (_status, text) =>
      /payrail_jobs_total\{queue="stripe.process_event",outcome="completed",service="worker"\} 1/.test(text),
    );
    expect(body).toMatch(
      /payrail_queue_jobs\{queue="stripe.create_customer",state="created",service="worker"\} 1/,
    );
    expect(body).toContain('payrail_job_duration_seconds_bucket');
    expect(body).toContain('# TYPE payrail_queue_oldest_ready_job_age_seconds gauge');
    expect(body).toContain('# TYPE payrail_payments gauge');
    expect(body).toContain('# TYPE payrail_webhook_deliveries_total counter');
  });

  it('is not ready while PostgreSQL is unreachable, and ready again by itself once it is back', async () => {
    await proxy.stop();
    await waitForHttp(`${base}/ready`, (s) => s === 503, { service: worker });
    // Metrics still answer (the database gauges are left out meanwhile).
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    await proxy.start();
    await waitForHttp(`${base}/ready`, (s) => s === 200, { service: worker });
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});

describe('two worker processes on one database', () => {
  const { url, embedded } = testDatabaseTarget();
  const schema = freshSchema(url, 'proc_wk2');
  const workers: { service: ChildService; base: string }[] = [];
  let db: Database | undefined;
  const JOBS = 200;

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.service.stop()));
    await db?.close();
    await schema.drop();
  });

  it('share the jobs between them and run none twice', async () => {
    const signingKey = WebhookSigningKey.generate().privateKeyPem();
    const encryptionKey = randomBytes(32).toString('hex');
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const service = spawnService(MAIN, {
        DATABASE_URL: url,
        DATABASE_SCHEMA: schema.name,
        ENCRYPTION_KEY: encryptionKey,
        PUBLIC_BASE_URL: 'https://payrail.example.test',
        WEBHOOK_SIGNING_PRIVATE_KEY: signingKey,
        HOST: '127.0.0.1',
        WORKER_HTTP_PORT: String(port),
        LOG_LEVEL: 'silent',
      });
      workers.push({ service, base: `http://127.0.0.1:${port}` });
    }
    await Promise.all(
      workers.map((w) => waitForHttp(`${w.base}/ready`, (s) => s === 200, { service: w.service })),
    );
    db = await openDatabase({
      url,
      schema: schema.name,
      embedded,
      migrate: false,
      secretBox: new SecretBox(randomBytes(32)),
      queueMaintenance: false,
    });
    const started = Date.now();
    for (let i = 0; i < JOBS; i++) {
      await db.queue.enqueue({ name: 'stripe.process_event', payload: { inboxId: randomUUID() } });
    }
    const completed = async () => {
      const counts = await Promise.all(
        workers.map(async (w) => {
          const text = await (await fetch(`${w.base}/metrics`)).text();
          const m =
            /payrail_jobs_total\{queue="stripe.process_event",outcome="completed",service="worker"\} (\d+)/.exec(
              text,
            );
          return Number(m?.[1] ?? 0);
        }),
      );
      return counts;
    };
    const deadline = Date.now() + 60_000;
    let counts = await completed();
    while (counts.reduce((a, b) => a + b, 0) < JOBS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counts = await completed();
    }
    // Exactly JOBS runs in total (none twice), and both workers took part.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(JOBS);
    expect(await db.queue.pendingCount(['stripe.process_event'])).toBe(0);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    process.stdout.write(
      `two workers: ${JOBS} jobs in ${Date.now() - started} ms, split ${counts.join('/')}\n`,
    );
  });
});
