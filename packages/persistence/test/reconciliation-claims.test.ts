import type { Payment } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { finalizedInvoice, insertAddOn, pendingPayment, seedWorld, type World } from './fixtures.js';

const MINUTE = 60_000;
let db: TestDatabase;
let busy: World;
let quiet: World;

beforeAll(async () => {
  db = await createTestDatabase();
  busy = await seedWorld(db);
  quiet = await seedWorld(db);
});
afterAll(() => db?.dispose());

let sequence = 0;
async function attemptInFlight(world: World): Promise<Payment> {
  return db.unitOfWork.run(world.org.id, async (tx) => {
    const addOn = await insertAddOn(tx, world.org.id);
    const invoice = finalizedInvoice(world, addOn, ++sequence);
    await tx.invoices.insert(invoice);
    return tx.payments.insert(pendingPayment(world, invoice));
  });
}

function claim(now: Date, limit = 100, perOrganization = 100) {
  return db.unitOfWork.run(null, (tx) =>
    tx.payments.claimForReconciliation({
      now,
      firstCheckAfterMs: 15 * MINUTE,
      maxIntervalMs: 60 * MINUTE,
      limit,
      perOrganization,
    }),
  );
}

describe('claimForReconciliation', () => {
  it('gives each attempt its own next check, doubling up to the cap', async () => {
    const payment = await attemptInFlight(quiet);
    const ids = async (at: Date) => (await claim(at)).map((p) => p.id).filter((id) => id === payment.id);
    const t0 = payment.updatedAt.getTime();
    expect(await ids(new Date(t0 + 14 * MINUTE))).toEqual([]);
    expect(await ids(new Date(t0 + 15 * MINUTE))).toEqual([payment.id]);
    // Next due 15 minutes after that check, then 30, then 60, and 60 from then on.
    let at = t0 + 15 * MINUTE;
    for (const wait of [15, 30, 60, 60]) {
      expect(await ids(new Date(at + (wait - 1) * MINUTE))).toEqual([]);
      at += wait * MINUTE;
      expect(await ids(new Date(at))).toEqual([payment.id]);
    }
  });

  it('keeps organizations fair: a merchant with many long waits cannot fill a run', async () => {
    const crowd = await Promise.all(Array.from({ length: 6 }, () => attemptInFlight(busy)));
    const lone = await attemptInFlight(quiet);
    const later = new Date(Math.max(...[...crowd, lone].map((p) => p.updatedAt.getTime())) + 16 * MINUTE);
    // The busy merchant's six attempts are due before the quiet one's; without a share per
    // organization a run of 4 would take only theirs.
    const claimed = await claim(later, 4, 2);
    expect(claimed.map((p) => p.id)).toContain(lone.id);
    expect(claimed.filter((p) => p.organizationId === busy.org.id)).toHaveLength(2);
    expect(await claim(later, 4, 4)).toHaveLength(4);
  });

  it('never claims a settled attempt', async () => {
    const payment = await attemptInFlight(busy);
    await db.unitOfWork.run(null, (tx) =>
      tx.payments.update({
        ...payment,
        status: 'failed',
        failedAt: new Date(),
        failure: { code: 'card_declined', message: 'declined' },
        canceled: false,
        belowMinimum: false,
      }),
    );
    const claimed = await claim(new Date(payment.updatedAt.getTime() + 24 * 60 * MINUTE));
    expect(claimed.map((p) => p.id)).not.toContain(payment.id);
  });
});
