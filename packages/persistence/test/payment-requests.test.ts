import type { FinalizedInvoice, PaymentRequest, PendingPaymentRequest } from '@payrail/domain';
import { VersionConflictError } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { EUR, finalizedInvoice, insertAddOn, pendingPayment, seedWorld, type World } from './fixtures.js';

let db: TestDatabase;
let world: World;

beforeAll(async () => {
  db = await createTestDatabase();
  world = await seedWorld(db);
});
afterAll(() => db?.dispose());

async function twoInvoices(): Promise<FinalizedInvoice[]> {
  return db.unitOfWork.run(world.org.id, async (tx) => {
    const addOn = await insertAddOn(tx, world.org.id);
    const out: FinalizedInvoice[] = [];
    for (let i = 0; i < 2; i += 1) {
      const inv = finalizedInvoice(
        world,
        addOn,
        await tx.sequences.next({ kind: 'invoice', customerId: world.customer.id }),
      );
      await tx.invoices.insert(inv);
      out.push(inv);
    }
    return out;
  });
}

describe('payment requests', () => {
  it('round-trip through pending, attempted and settled, and their payment points back', async () => {
    const [a, b] = (await twoInvoices()) as [FinalizedInvoice, FinalizedInvoice];
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const request: PendingPaymentRequest = {
      id: '0000000e-0000-4000-8000-000000000001',
      organizationId: world.org.id,
      customerId: world.customer.id,
      email: 'billing@example.com',
      items: [
        { invoiceId: a.id, amountCents: 7_000 },
        { invoiceId: b.id, amountCents: 5_000 },
      ],
      amountCents: 12_000,
      currency: EUR,
      paymentId: null,
      paymentStatus: 'pending',
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await db.unitOfWork.run(world.org.id, (tx) => tx.paymentRequests.insert(request));
    expect(await db.unitOfWork.run(null, (tx) => tx.paymentRequests.findById(request.id))).toEqual(request);

    const payment = { ...pendingPayment(world, a), paymentRequestId: request.id, amountCents: 12_000 };
    const attempted = await db.unitOfWork.run(world.org.id, async (tx) => {
      await tx.payments.insert(payment);
      return tx.paymentRequests.update({ ...request, paymentId: payment.id });
    });
    expect(attempted.version).toBe(2);
    expect(await db.unitOfWork.run(null, (tx) => tx.payments.findById(payment.id))).toEqual(payment);

    const succeeded: PaymentRequest = {
      ...attempted,
      paymentStatus: 'succeeded',
      paymentId: payment.id,
      succeededAt: now,
    };
    await db.unitOfWork.run(world.org.id, (tx) => tx.paymentRequests.update(succeeded));
    expect(await db.unitOfWork.run(null, (tx) => tx.paymentRequests.findById(request.id))).toEqual({
      ...succeeded,
      version: 3,
    });
    // A stale write loses.
    await expect(
      db.unitOfWork.run(world.org.id, (tx) => tx.paymentRequests.update(attempted)),
    ).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('keeps a failure with its code and message', async () => {
    const [a] = (await twoInvoices()) as [FinalizedInvoice];
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const failed: PaymentRequest = {
      id: '0000000e-0000-4000-8000-000000000002',
      organizationId: world.org.id,
      customerId: world.customer.id,
      email: null,
      items: [{ invoiceId: a.id, amountCents: 12_000 }],
      amountCents: 12_000,
      currency: EUR,
      paymentId: null,
      paymentStatus: 'failed',
      failedAt: now,
      failure: { code: 'no_payment_method', message: 'nothing to charge' },
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await db.unitOfWork.run(world.org.id, (tx) => tx.paymentRequests.insert(failed));
    expect(await db.unitOfWork.run(null, (tx) => tx.paymentRequests.findById(failed.id))).toEqual(failed);
  });
});
