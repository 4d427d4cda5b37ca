import { randomUUID } from 'node:crypto';
import { Secret } from '@payrail/domain';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistenceInboxRedrive } from '../src/adapters/inbox-redrive.js';

let db: TestDatabase;
let organizationId: string;
let connectionId: string;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'worker_redrive' });
  organizationId = (await db.organizations.create({ name: 'Acme', documentNumberPrefix: 'ACM' })).id;
  connectionId = randomUUID();
  const now = new Date();
  await db.unitOfWork.run(organizationId, (tx) =>
    tx.stripeConnections.insert({
      id: connectionId,
      organizationId,
      name: 'Stripe',
      code: 'stripe_main',
      secretKey: new Secret('sk_test_redrive'),
      successRedirectUrl: null,
      webhookEndpoint: { providerEndpointId: 'we_1', signingSecret: new Secret('whsec_1') },
      version: 1,
      createdAt: now,
      updatedAt: now,
    }),
  );
});
afterAll(() => db?.dispose());

const exec = async (sql: string) => (await db.orm.em.fork().execute(sql)) as Record<string, unknown>[];
const inbox = () => `"${db.schema}".stripe_inbox_events`;
const liveJobs = async () =>
  (
    await exec(
      `select data->>'inboxId' as id from "${db.queue.schema}".job
        where name = 'stripe.process_event' and state in ('created', 'retry', 'active') order by id`,
    )
  ).map((r) => String(r.id));

async function store(): Promise<string> {
  const result = await db.inbox.insert({
    organizationId,
    connectionId,
    stripeEventId: `evt_${randomUUID().replaceAll('-', '')}`,
    type: 'payment_intent.succeeded',
    createdAt: new Date(),
    payload: '{"object":"event"}',
  });
  if (result.status !== 'stored') throw new Error('not stored');
  return result.inboxId;
}

describe('inbox redrive', () => {
  it('queues again only the rows left unprocessed past the age, once', async () => {
    const lost = await store();
    const processed = await store();
    const fresh = await store();
    // The lost row's job is gone (retries used up and archived); the processed one is done.
    await exec(
      `delete from "${db.queue.schema}".job where name = 'stripe.process_event' and data->>'inboxId' in ('${lost}', '${processed}')`,
    );
    await db.inbox.markProcessed(processed, 'payment_succeeded');
    await exec(
      `update ${inbox()} set received_at = now() - interval '3 hours' where id in ('${lost}', '${processed}')`,
    );
    expect(await liveJobs()).toEqual([fresh]);

    const redrive = persistenceInboxRedrive(db);
    const receivedBefore = new Date(Date.now() - 2 * 60 * 60_000);
    expect(await redrive.requeueStale({ receivedBefore, limit: 10 })).toBe(1);
    expect((await liveJobs()).sort()).toEqual([fresh, lost].sort());

    // A second sweep while the job waits finds the same row but the dedupe key keeps one job.
    expect(await redrive.requeueStale({ receivedBefore, limit: 10 })).toBe(1);
    expect((await liveJobs()).sort()).toEqual([fresh, lost].sort());
  });
});

describe('exhausted job redrive', () => {
  const jobsOf = async (key: string) =>
    (
      await exec(
        `select state from "${db.queue.schema}".job where name = 'payment.refund' and singleton_key = '${key}' order by created_on`,
      )
    ).map((r) => String(r.state));
  const exhaust = (key: string, ago: string) =>
    exec(
      `update "${db.queue.schema}".job set state = 'failed', completed_on = now() - interval '${ago}'
        where name = 'payment.refund' and singleton_key = '${key}' and state = 'created'`,
    );
  const refund = (key: string) =>
    db.queue.enqueue({
      name: 'payment.refund',
      payload: { organizationId, creditNoteId: key },
      dedupeKey: key,
    });

  it('queues again a Stripe-calling job whose retries ran out long enough ago, and finds it again if it fails again', async () => {
    const outage = `payment.refund:${randomUUID()}`;
    const recent = `payment.refund:${randomUUID()}`;
    const done = `payment.refund:${randomUUID()}`;
    await refund(outage);
    await exhaust(outage, '2 hours');
    await refund(recent);
    await exhaust(recent, '1 minute');
    await refund(done);
    await exec(
      `update "${db.queue.schema}".job set state = 'completed', completed_on = now() - interval '2 hours' where singleton_key = '${done}'`,
    );

    const redrive = persistenceInboxRedrive(db);
    const failedBefore = new Date(Date.now() - 30 * 60_000);
    expect(await redrive.requeueExhaustedJobs({ failedBefore, limit: 100 })).toBe(1);
    expect(await jobsOf(outage)).toEqual(['failed', 'created']);
    expect(await jobsOf(recent)).toEqual(['failed']);
    expect(await jobsOf(done)).toEqual(['completed']);

    // While the new job is alive nothing more is queued; once it has failed too, it is found again.
    expect(await redrive.requeueExhaustedJobs({ failedBefore, limit: 100 })).toBe(0);
    await exhaust(outage, '1 hour');
    expect(await redrive.requeueExhaustedJobs({ failedBefore, limit: 100 })).toBe(1);
    expect(await jobsOf(outage)).toEqual(['failed', 'failed', 'created']);
  });
});
