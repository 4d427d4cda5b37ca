import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/queue/job-queue.js';
import { DEFAULT_QUEUES } from '../src/queue/queue-definitions.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let db: TestDatabase;
const extraQueues: JobQueue[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(extraQueues.map((q) => q.stop(1000)));
  await db?.dispose();
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function queueOn(schema: string, policy: 'exclusive' | 'stately'): Promise<JobQueue> {
  const q = await JobQueue.start({
    url: db.url,
    schema,
    embedded: db.embedded,
    queues: [
      {
        name: 'test.policy',
        retryLimit: 0,
        retryDelaySeconds: 1,
        retryDelayMaxSeconds: 1,
        expireInSeconds: 30,
        policy,
      },
    ],
    maintenance: false,
  });
  extraQueues.push(q);
  return q;
}

describe('queue policies', () => {
  it('a collection asked for while one runs is kept, and runs after it, never beside it', async () => {
    expect(DEFAULT_QUEUES.find((q) => q.name === 'payment.collect')?.policy).toBe('stately');
    const key = `payment.collect:${randomUUID()}`;
    // Each request names another invoice id only so that the test can tell the runs apart.
    const invoiceIds: string[] = [randomUUID(), randomUUID(), randomUUID()];
    const enqueue = (n: number) =>
      db.unitOfWork.run(null, (tx) =>
        tx.jobs.enqueue({
          name: 'payment.collect',
          payload: { organizationId: randomUUID(), invoiceId: invoiceIds[n - 1] ?? '' },
          dedupeKey: key,
        }),
      );
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: unknown[] = [];
    let running = 0;
    let overlapped = false;
    await db.queue.work(
      'payment.collect',
      async (job) => {
        running += 1;
        if (running > 1) overlapped = true;
        const n = invoiceIds.indexOf(String(job.payload.invoiceId)) + 1;
        seen.push(n);
        if (n === 1) await gate;
        running -= 1;
      },
      { concurrency: 2 },
    );

    await enqueue(1);
    await until(() => seen.length === 1, 'the first collection to start');
    // A new payment method arrives while the first collection runs: its request must survive...
    await enqueue(2);
    // ...and one queued request is enough: a third while the second waits adds nothing.
    await enqueue(3);
    const live = await db.orm.em
      .fork()
      .execute<{ state: string }[]>(
        `select state from "${db.queue.schema}".job where name = 'payment.collect' and singleton_key = ? order by created_on`,
        [key],
      );
    expect(live.map((j) => j.state)).toEqual(['active', 'created']);

    release();
    await db.queue.drain(['payment.collect']);
    expect(seen).toEqual([1, 2]);
    expect(overlapped).toBe(false);
  });

  it('an empty queue created with another policy is recreated with the configured one at start', async () => {
    const schema = `${db.queue.schema}_policy`;
    const before = await queueOn(schema, 'exclusive');
    await before.stop(1000);
    const after = await queueOn(schema, 'stately');
    const key = randomUUID();
    expect(await after.enqueue({ name: 'test.policy', payload: {}, dedupeKey: key })).toEqual(
      expect.any(String),
    );
    // Under `stately` a second queued job per key is refused only while one is queued: this one is.
    expect(await after.enqueue({ name: 'test.policy', payload: {}, dedupeKey: key })).toBeNull();
    const [row] = await db.orm.em
      .fork()
      .execute<{ policy: string }[]>(`select policy from "${schema}".queue where name = 'test.policy'`);
    expect(row?.policy).toBe('stately');
  });
});
