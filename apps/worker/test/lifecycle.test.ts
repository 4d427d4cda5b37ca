import { randomUUID } from 'node:crypto';
import { ok } from '@payrail/domain';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { DEFAULT_QUEUES, JobQueue } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase, waitForJobs } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker, type WorkerDeps } from '../src/app.js';
import { composeWorker, domainUseCases } from '../src/compose.js';

let db: TestDatabase;
const queues: JobQueue[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'worker_life' });
});
afterAll(async () => {
  for (const q of queues) await q.stop(1_000);
  await db?.dispose();
});

/** A second process's view of the same job tables. */
async function anotherQueue(): Promise<JobQueue> {
  const queue = await JobQueue.start({
    url: db.url,
    schema: db.queue.schema,
    embedded: db.embedded,
    queues: DEFAULT_QUEUES,
    maintenance: false,
  });
  queues.push(queue);
  return queue;
}

function workerDeps(
  queue: JobQueue,
  collect: (invoiceId: string) => Promise<void>,
  stopTimeoutMs = 10_000,
): WorkerDeps {
  const deps = composeWorker({
    db,
    gateways: new StripeGatewayFactory({ apiBase: 'http://127.0.0.1:9' }),
    signingKey: WebhookSigningKey.generate(),
    publicBaseUrl: 'http://127.0.0.1:9',
    apiUrl: 'http://127.0.0.1:9',
    settings: { concurrency: 3, stopTimeoutMs },
  });
  return {
    ...deps,
    queue,
    useCases: {
      ...domainUseCases,
      collectInvoicePayment: async ({ input }) => {
        await collect(input.invoiceId);
        return ok(undefined);
      },
    },
  };
}

const collectJob = (invoiceId: string) => ({
  name: 'payment.collect' as const,
  payload: { organizationId: randomUUID(), invoiceId },
  dedupeKey: `payment.collect:${invoiceId}`,
});

describe('worker lifecycle', () => {
  it('runs side by side with another worker without ever taking the same job twice', async () => {
    const runs = new Map<string, number>();
    const count = async (invoiceId: string) => {
      runs.set(invoiceId, (runs.get(invoiceId) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const workers: RunningWorker[] = [
      await startWorker(workerDeps(await anotherQueue(), count)),
      await startWorker(workerDeps(await anotherQueue(), count)),
    ];
    const ids = Array.from({ length: 40 }, () => randomUUID());
    for (const id of ids) await db.queue.enqueue(collectJob(id));
    await waitForJobs(db, 30_000);
    await Promise.all(workers.map((w) => w.stop()));
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('finishes the job in hand when stopped', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finished = false;
    const worker = await startWorker(
      workerDeps(await anotherQueue(), async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      }),
    );
    const jobId = await db.queue.enqueue(collectJob(randomUUID()));
    await running;
    await worker.stop();
    expect(finished).toBe(true);
    expect((await db.queue.findJob('payment.collect', jobId ?? ''))?.state).toBe('completed');
  });

  it('releases a job still running when the stop deadline passes, and the job runs again', async () => {
    let runs = 0;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow = await startWorker(
      workerDeps(
        await anotherQueue(),
        async () => {
          runs++;
          started();
          await new Promise((resolve) => setTimeout(resolve, 3_000));
        },
        100,
      ),
    );
    const jobId = (await db.queue.enqueue(collectJob(randomUUID()))) ?? '';
    await running;
    await slow.stop();
    const released = await db.queue.findJob('payment.collect', jobId);
    expect(released?.state).not.toBe('completed');

    const next = await startWorker(
      workerDeps(await anotherQueue(), async () => {
        runs++;
      }),
    );
    await waitForJobs(db, 45_000);
    await next.stop();
    expect((await db.queue.findJob('payment.collect', jobId))?.state).toBe('completed');
    expect(runs).toBe(2);
  });
});
