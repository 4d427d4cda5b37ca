import type { FinalizedInvoice } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import {
  finalizedInvoice,
  insertAddOn,
  linkedCustomer,
  pendingPayment,
  seedWorld,
  type World,
} from './fixtures.js';

const MINUTE = 60_000;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

let sequence = 0;
async function waitingInvoice(
  world: World,
  waitingSince: Date,
  database: TestDatabase = db,
  overrides: Partial<Pick<FinalizedInvoice, 'payment' | 'paymentDisputeLostAt'>> = {},
): Promise<FinalizedInvoice> {
  return database.unitOfWork.run(world.org.id, async (tx) => {
    const addOn = await insertAddOn(tx, world.org.id);
    const invoice: FinalizedInvoice = {
      ...finalizedInvoice(world, addOn, ++sequence),
      finalizedAt: waitingSince,
      payment: { status: 'pending', inFlightPaymentId: null, waitingFor: 'no_payment_method' },
      updatedAt: waitingSince,
      ...overrides,
    };
    return (await tx.invoices.insert(invoice)) as FinalizedInvoice;
  });
}

function claimMethodChecks(now: Date, limit = 100, perOrganization = 100) {
  return db.unitOfWork.run(null, (tx) =>
    tx.invoices.claimForPaymentMethodCheck({
      now,
      firstCheckAfterMs: 15 * MINUTE,
      maxIntervalMs: 60 * MINUTE,
      limit,
      perOrganization,
    }),
  );
}

describe('claimForPaymentMethodCheck', () => {
  it('gives each customer its own next look, doubling up to the cap, with its oldest waiting invoice', async () => {
    const world = await seedWorld(db);
    const t0 = Date.UTC(2030, 0, 1);
    const oldest = await waitingInvoice(world, new Date(t0 - 10 * MINUTE));
    await waitingInvoice(world, new Date(t0));
    const mine = async (at: number) =>
      (await claimMethodChecks(new Date(at))).filter((c) => c.customerId === world.customer.id);

    // Due 15 minutes after the newest invoice started waiting.
    expect(await mine(t0 + 14 * MINUTE)).toEqual([]);
    expect(await mine(t0 + 15 * MINUTE)).toEqual([
      { organizationId: world.org.id, customerId: world.customer.id, invoiceId: oldest.id },
    ]);
    let at = t0 + 15 * MINUTE;
    for (const wait of [15, 30, 60, 60]) {
      expect(await mine(at + (wait - 1) * MINUTE)).toEqual([]);
      at += wait * MINUTE;
      expect(await mine(at)).toHaveLength(1);
    }

    // An invoice that starts waiting after the last look starts the backoff again.
    await waitingInvoice(world, new Date(at + 5 * MINUTE));
    expect(await mine(at + 19 * MINUTE)).toEqual([]);
    expect(await mine(at + 20 * MINUTE)).toHaveLength(1);
    expect(await mine(at + 34 * MINUTE)).toEqual([]);
    expect(await mine(at + 35 * MINUTE)).toHaveLength(1);
  });

  it('skips invoices waiting for something else, with an attempt in flight, or after a lost dispute', async () => {
    const world = await seedWorld(db);
    const t0 = Date.UTC(2031, 0, 1);
    await waitingInvoice(world, new Date(t0), db, {
      payment: { status: 'pending', inFlightPaymentId: null, waitingFor: 'provider_customer_pending' },
    });
    await waitingInvoice(world, new Date(t0), db, { paymentDisputeLostAt: new Date(t0) });
    const inFlight = await waitingInvoice(world, new Date(t0));
    await db.unitOfWork.run(world.org.id, async (tx) => {
      const payment = await tx.payments.insert(pendingPayment(world, inFlight));
      await tx.invoices.update({
        ...inFlight,
        payment: { status: 'pending', inFlightPaymentId: payment.id, waitingFor: null },
      });
    });
    const claimed = await claimMethodChecks(new Date(t0 + 60 * MINUTE));
    expect(claimed.filter((c) => c.customerId === world.customer.id)).toEqual([]);
  });

  it('keeps organizations fair and a run within its limit', async () => {
    // Its own schema: customers due in the other tests would take places in these runs.
    const own = await createTestDatabase();
    try {
      const busy = await seedWorld(own);
      const crowd = [busy];
      for (const n of [2, 3]) {
        const customer = linkedCustomer(busy.org.id, busy.connection.id, n);
        await own.unitOfWork.run(busy.org.id, (tx) => tx.customers.insert(customer));
        crowd.push({ ...busy, customer });
      }
      const quiet = await seedWorld(own);
      const t0 = Date.UTC(2032, 0, 1);
      // The busy merchant's customers are due first; without a share per organization a run of
      // two would take only theirs.
      for (const world of crowd) await waitingInvoice(world, new Date(t0 - 60 * MINUTE), own);
      await waitingInvoice(quiet, new Date(t0), own);
      const claim = (limit: number, perOrganization: number) =>
        own.unitOfWork.run(null, (tx) =>
          tx.invoices.claimForPaymentMethodCheck({
            now: new Date(t0 + 20 * MINUTE),
            firstCheckAfterMs: 15 * MINUTE,
            maxIntervalMs: 60 * MINUTE,
            limit,
            perOrganization,
          }),
        );
      const first = await claim(2, 1);
      expect(first.map((c) => c.organizationId).sort()).toEqual([busy.org.id, quiet.org.id].sort());
      expect(await claim(1, 100)).toHaveLength(1);
      expect(await claim(100, 100)).toHaveLength(1);
      expect(await claim(100, 100)).toHaveLength(0);
    } finally {
      await own.dispose();
    }
  });
});

describe('dispute check bookkeeping', () => {
  it('claims each connection once per interval, the never checked first', async () => {
    const a = await seedWorld(db);
    const b = await seedWorld(db);
    const ours = new Set([a.connection.id, b.connection.id]);
    const claim = async (at: number, limit = 100) =>
      (
        await db.unitOfWork.run(null, (tx) =>
          tx.stripeConnections.claimForDisputeCheck({ now: new Date(at), everyMs: 60 * MINUTE, limit }),
        )
      )
        .map((c) => c.id)
        .filter((id) => ours.has(id));
    const t0 = Date.UTC(2033, 0, 1);
    expect((await claim(t0)).sort()).toEqual([...ours].sort());
    expect(await claim(t0 + 59 * MINUTE)).toEqual([]);
    expect((await claim(t0 + 60 * MINUTE)).sort()).toEqual([...ours].sort());
    // Secrets still open after the claim (the rows read back are whole connections).
    const [connection] = await db.unitOfWork.run(null, (tx) =>
      tx.stripeConnections.claimForDisputeCheck({ now: new Date(t0 + 200 * MINUTE), everyMs: 1, limit: 100 }),
    );
    expect(connection?.secretKey.reveal()).toMatch(/^sk_test_/);
  });

  it('keeps a cursor per connection that only moves forward', async () => {
    const world = await seedWorld(db);
    const other = await seedWorld(db);
    const id = world.connection.id;
    const read = () => db.unitOfWork.run(null, (tx) => tx.stripeConnections.disputesCheckedUntil(id));
    const record = (at: Date) =>
      db.unitOfWork.run(null, (tx) => tx.stripeConnections.recordDisputesChecked(id, at));
    expect(await read()).toBeNull();
    await record(new Date('2030-05-01T10:00:00Z'));
    expect(await read()).toEqual(new Date('2030-05-01T10:00:00Z'));
    await record(new Date('2030-04-01T10:00:00Z'));
    expect(await read()).toEqual(new Date('2030-05-01T10:00:00Z'));
    await record(new Date('2030-06-01T10:00:00Z'));
    expect(await read()).toEqual(new Date('2030-06-01T10:00:00Z'));
    expect(
      await db.unitOfWork.run(null, (tx) => tx.stripeConnections.disputesCheckedUntil(other.connection.id)),
    ).toBeNull();
    // The connection itself still updates as before (its bookkeeping is not part of it).
    const stored = await db.unitOfWork.run(null, (tx) => tx.stripeConnections.findById(id));
    if (!stored) throw new Error('connection vanished');
    await db.unitOfWork.run(null, (tx) =>
      tx.stripeConnections.update({ ...stored, name: 'Renamed', updatedAt: new Date() }),
    );
    expect(await read()).toEqual(new Date('2030-06-01T10:00:00Z'));
  });
});
