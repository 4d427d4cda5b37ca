import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type QueuedJob } from '../src/queue/job-queue.js';
import { DEFAULT_QUEUES, RECONCILE_SWEEP_QUEUE } from '../src/queue/queue-definitions.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { finalizedInvoice, insertAddOn, seedWorld, type World } from './fixtures.js';

const FLAKY = {
  name: 'test.flaky',
  retryLimit: 2,
  retryDelaySeconds: 1,
  retryDelayMaxSeconds: 1,
  expireInSeconds: 30,
};

let db: TestDatabase;
let world: World;
const extraQueues: JobQueue[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ queues: [FLAKY] });
  world = await seedWorld(db);
});
afterAll(async () => {
  await Promise.all(extraQueues.map((q) => q.stop(1000)));
  await db?.dispose();
});

/** A second process's queue on the same job tables. */
async function secondQueue(): Promise<JobQueue> {
  const q = await JobQueue.start({
    url: db.url,
    schema: db.queue.schema,
    embedded: db.embedded,
    queues: [...DEFAULT_QUEUES, FLAKY],
    maintenance: false,
  });
  extraQueues.push(q);
  return q;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function jobsFor(name: string, key: string): Promise<{ state: string }[]> {
  return db.orm.em
    .fork()
    .execute(`select state from "${db.queue.schema}".job where name = ? and singleton_key = ?`, [name, key]);
}

describe('job queue', () => {
  it('drops the job of a rolled-back transaction together with its row', async () => {
    const key = `payment.collect:${randomUUID()}`;
    let invoiceId = '';
    await expect(
      db.unitOfWork.run(world.org.id, async (tx) => {
        const addOn = await insertAddOn(tx, world.org.id);
        const invoice = finalizedInvoice(world, addOn, 9_001);
        invoiceId = invoice.id;
        await tx.invoices.insert(invoice);
        await tx.jobs.enqueue({
          name: 'payment.collect',
          payload: { organizationId: world.org.id, invoiceId },
          dedupeKey: key,
        });
        throw new Error('abort after enqueue');
      }),
    ).rejects.toThrow('abort after enqueue');
    expect(await db.unitOfWork.run(null, (tx) => tx.invoices.findById(invoiceId))).toBeNull();
    expect(await jobsFor('payment.collect', key)).toEqual([]);
  });

  it('runs a committed job exactly once while two workers compete for it', async () => {
    const other = await secondQueue();
    const runs: { worker: string; invoiceId: unknown }[] = [];
    const handler = (worker: string) => async (job: QueuedJob) => {
      runs.push({ worker, invoiceId: job.payload.invoiceId });
    };
    await db.queue.work('payment.collect', handler('a'), { concurrency: 2 });
    await other.work('payment.collect', handler('b'), { concurrency: 2 });

    const invoices: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      await db.unitOfWork.run(world.org.id, async (tx) => {
        const addOn = await insertAddOn(tx, world.org.id);
        const invoice = finalizedInvoice(world, addOn, 100 + i);
        invoices.push(invoice.id);
        await tx.invoices.insert(invoice);
        await tx.jobs.enqueue({
          name: 'payment.collect',
          payload: { organizationId: world.org.id, invoiceId: invoice.id },
          dedupeKey: `payment.collect:${invoice.id}`,
        });
      });
    }
    await db.queue.drain(['payment.collect']);
    expect(runs.map((r) => r.invoiceId).sort()).toEqual([...invoices].sort());
    for (const id of invoices) {
      expect(await jobsFor('payment.collect', `payment.collect:${id}`)).toEqual([{ state: 'completed' }]);
    }
  });

  it('keeps one live job per dedupe key', async () => {
    const key = `stripe.create_customer:${randomUUID()}`;
    const first = await db.queue.enqueue({
      name: 'stripe.create_customer',
      payload: { n: 1 },
      dedupeKey: key,
    });
    const second = await db.queue.enqueue({
      name: 'stripe.create_customer',
      payload: { n: 2 },
      dedupeKey: key,
    });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(await jobsFor('stripe.create_customer', key)).toHaveLength(1);
  });

  it('retries a failed job with backoff and then completes it', async () => {
    const attempts: number[] = [];
    const id = await db.queue.enqueue({ name: FLAKY.name, payload: {} });
    await db.queue.work(FLAKY.name, async (job) => {
      attempts.push(job.attempt);
      if (job.attempt === 1) throw new Error('transient');
    });
    await until(
      async () => (await db.queue.findJob(FLAKY.name, id ?? ''))?.state === 'completed',
      'the retry',
    );
    expect(attempts).toEqual([1, 2]);
  });

  it('finishes the job in flight when stopped gracefully', async () => {
    const stopping = await secondQueue();
    let started = false;
    let finished = false;
    const id = await stopping.enqueue({ name: 'stripe.checkout_link', payload: {} });
    await stopping.work('stripe.checkout_link', async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await until(async () => started, 'the job to start');
    await stopping.stop(10_000);
    expect(finished).toBe(true);
    expect((await db.queue.findJob('stripe.checkout_link', id ?? ''))?.state).toBe('completed');
  });

  it('registers the reconciliation sweep as a UTC cron schedule', async () => {
    await db.queue.schedule(RECONCILE_SWEEP_QUEUE, '*/5 * * * *', { limit: 100 });
    const rows: { cron: string; timezone: string; data: unknown }[] = await db.orm.em
      .fork()
      .execute(`select cron, timezone, data from "${db.queue.schema}".schedule where name = ?`, [
        RECONCILE_SWEEP_QUEUE,
      ]);
    expect(rows).toEqual([{ cron: '*/5 * * * *', timezone: 'UTC', data: { limit: 100 } }]);
  });

  it('runs one batch on demand with runOnce, completing or failing each job', async () => {
    const ok = await db.queue.enqueue({ name: 'stripe.update_customer', payload: { fail: false } });
    const bad = await db.queue.enqueue({ name: 'stripe.update_customer', payload: { fail: true } });
    const ran = await db.queue.runOnce('stripe.update_customer', async (job) => {
      if (job.payload.fail) throw new Error('provider down');
    });
    expect(ran).toBe(2);
    expect((await db.queue.findJob('stripe.update_customer', ok ?? ''))?.state).toBe('completed');
    expect((await db.queue.findJob('stripe.update_customer', bad ?? ''))?.state).toBe('retry');
  });

  it('refuses a job name that has no queue', async () => {
    expect(() => db.queue.enqueue({ name: 'nope', payload: {} })).toThrow(/unknown job queue/);
  });

  it('stores an outbox event and its delivery job in the same transaction', async () => {
    const eventId = randomUUID();
    await db.unitOfWork.run(world.org.id, (tx) =>
      tx.outbox.publish({
        id: eventId,
        organizationId: world.org.id,
        occurredAt: new Date(),
        type: 'customer.created',
        objectType: 'customer',
        data: { lago_customer_id: world.customer.id },
      }),
    );
    const rows: { webhook_type: string; payload: unknown }[] = await db.orm.em
      .fork()
      .execute(`select webhook_type, payload from "${db.schema}".webhook_events where id = ?`, [eventId]);
    expect(rows).toEqual([
      { webhook_type: 'customer.created', payload: { lago_customer_id: world.customer.id } },
    ]);
    expect(await jobsFor('webhook.deliver', `webhook.deliver:${eventId}`)).toEqual([{ state: 'created' }]);
  });
});
