import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_EVENT_QUEUE } from '../src/inbox/inbox-store.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { seedWorld, type World } from './fixtures.js';

let db: TestDatabase;
let world: World;

beforeAll(async () => {
  db = await createTestDatabase();
  world = await seedWorld(db);
});
afterAll(() => db?.dispose());

function event(id = `evt_${randomUUID().replaceAll('-', '')}`) {
  const body = {
    id,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: 1_764_000_000,
    data: { object: {} },
  };
  return {
    organizationId: world.org.id,
    connectionId: world.connection.id,
    stripeEventId: id,
    type: body.type,
    createdAt: new Date(body.created * 1000),
    payload: JSON.stringify(body),
  };
}

async function processingJobs(inboxId: string): Promise<{ data: unknown }[]> {
  return db.orm.em
    .fork()
    .execute(`select data from "${db.queue.schema}".job where name = ? and singleton_key = ?`, [
      PROCESS_EVENT_QUEUE,
      `${PROCESS_EVENT_QUEUE}:${inboxId}`,
    ]);
}

describe('inbox', () => {
  it('stores an event with its processing job and reports a redelivery as duplicate', async () => {
    const input = event();
    const first = await db.inbox.insert(input);
    expect(first.status).toBe('stored');
    const inboxId = first.status === 'stored' ? first.inboxId : '';
    expect(await processingJobs(inboxId)).toEqual([{ data: { organizationId: world.org.id, inboxId } }]);
    expect(await db.inbox.insert(input)).toEqual({ status: 'duplicate' });

    const stored = await db.inbox.find(inboxId);
    expect(stored).toMatchObject({ stripeEventId: input.stripeEventId, type: input.type, processedAt: null });
    expect(stored?.payload).toEqual(JSON.parse(input.payload));
    await db.inbox.markProcessed(inboxId, 'applied');
    expect((await db.inbox.find(inboxId))?.outcome).toBe('applied');
  });

  it('keeps one row per event when the same event arrives many times at once', async () => {
    const input = event();
    const results = await Promise.all(Array.from({ length: 20 }, () => db.inbox.insert(input)));
    const stored = results.filter((r) => r.status === 'stored');
    expect(stored).toHaveLength(1);
    const count: { n: number }[] = await db.orm.em
      .fork()
      .execute(
        `select count(*)::int as n from "${db.schema}".stripe_inbox_events where stripe_event_id = ?`,
        [input.stripeEventId],
      );
    expect(count[0]?.n).toBe(1);
  });

  it('stores a burst of distinct events, each with exactly one job', async () => {
    const inputs = Array.from({ length: 300 }, () => event());
    const results = await Promise.all(inputs.map((i) => db.inbox.insert(i)));
    expect(results.every((r) => r.status === 'stored')).toBe(true);
    const ids = results.map((r) => (r.status === 'stored' ? r.inboxId : ''));
    // knex passes a JS array as one PostgreSQL array (MikroORM's execute would expand it).
    const jobs = await db.orm.em
      .getConnection()
      .getKnex()
      .raw(
        `select data->>'inboxId' as id from "${db.queue.schema}".job where name = ? and data->>'inboxId' = any(?::text[])`,
        [PROCESS_EVENT_QUEUE, ids],
      );
    const jobIds = (jobs as { rows: { id: string }[] }).rows.map((r) => r.id);
    expect(jobIds.sort()).toEqual([...ids].sort());
  });

  it('fails only the event whose connection is unknown, not its batch neighbours', async () => {
    const good = event();
    const bad = { ...event(), connectionId: randomUUID() };
    const [okResult, badResult] = await Promise.allSettled([db.inbox.insert(good), db.inbox.insert(bad)]);
    expect(okResult).toMatchObject({ status: 'fulfilled', value: { status: 'stored' } });
    expect(badResult.status).toBe('rejected');
  });
});
