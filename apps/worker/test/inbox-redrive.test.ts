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
