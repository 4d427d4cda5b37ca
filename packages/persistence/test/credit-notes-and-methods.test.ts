import { randomUUID } from 'node:crypto';
import type { CreditNote, Customer, PaymentMethod } from '@payrail/domain';
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

function method(providerPaymentMethodId: string, createdAt: Date): PaymentMethod {
  return {
    id: randomUUID(),
    organizationId: world.org.id,
    customerId: world.customer.id,
    connectionId: world.connection.id,
    providerCustomerId: 'cus_123',
    providerPaymentMethodId,
    type: 'card',
    details: { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
    version: 1,
    createdAt,
    updatedAt: createdAt,
    deletedAt: null,
  };
}

describe('payment methods', () => {
  it('lists live methods newest first and hides a detached one', async () => {
    const older = method('pm_old', new Date('2026-01-01T00:00:00Z'));
    const newer = method('pm_new', new Date('2026-02-01T00:00:00Z'));
    await db.unitOfWork.run(world.org.id, async (tx) => {
      await tx.paymentMethods.insert(older);
      await tx.paymentMethods.insert(newer);
    });
    const listed = await db.unitOfWork.run(null, (tx) => tx.paymentMethods.listByCustomer(world.customer.id));
    expect(listed.map((m) => m.providerPaymentMethodId)).toEqual(['pm_new', 'pm_old']);
    expect(listed[0]).toEqual(newer);

    await db.unitOfWork.run(null, (tx) => tx.paymentMethods.update({ ...older, deletedAt: new Date() }));
    const after = await db.unitOfWork.run(null, (tx) => tx.paymentMethods.listByCustomer(world.customer.id));
    expect(after.map((m) => m.providerPaymentMethodId)).toEqual(['pm_new']);
  });

  it('round-trips each billing-link state of a customer', async () => {
    const states: Customer['billing'][] = [
      { provider: 'none' },
      {
        provider: 'stripe',
        connectionId: world.connection.id,
        syncWithProvider: true,
        paymentMethodTypes: ['card'],
        providerCustomer: { status: 'pending' },
        defaultPaymentMethod: null,
      },
      {
        provider: 'stripe',
        connectionId: world.connection.id,
        syncWithProvider: false,
        paymentMethodTypes: ['sepa_debit'],
        providerCustomer: { status: 'error', failure: { code: 'invalid_request', message: 'bad email' } },
        defaultPaymentMethod: { paymentMethodId: randomUUID(), chosenBy: 'manual' },
      },
    ];
    let current = (await db.unitOfWork.run(null, (tx) =>
      tx.customers.findById(world.customer.id),
    )) as Customer;
    for (const billing of states) {
      current = await db.unitOfWork.run(null, (tx) => tx.customers.update({ ...current, billing }));
      expect(await db.unitOfWork.run(null, (tx) => tx.customers.findById(world.customer.id))).toEqual(
        current,
      );
    }
  });
});

describe('credit notes', () => {
  it('stores items and a refund, then follows the refund to success', async () => {
    const { invoice, payment } = await db.unitOfWork.run(world.org.id, async (tx) => {
      const addOn = await insertAddOn(tx, world.org.id);
      const inv = finalizedInvoice(world, addOn, 500);
      await tx.invoices.insert(inv);
      const pay = pendingPayment(world, inv);
      await tx.payments.insert(pay);
      return { invoice: inv, payment: pay };
    });
    const now = new Date();
    const note: CreditNote = {
      id: randomUUID(),
      organizationId: world.org.id,
      invoiceId: invoice.id,
      customerId: world.customer.id,
      sequentialId: 1,
      number: `${invoice.number}-CN001`,
      issuingDate: '2026-11-26',
      reason: 'other',
      description: null,
      currency: EUR,
      items: [{ id: randomUUID(), feeId: invoice.fees[0]?.id ?? '', amountCents: 1_000 }],
      creditAmountCents: 0,
      refundAmountCents: 1_000,
      offsetAmountCents: 0,
      totalAmountCents: 1_000,
      balanceAmountCents: 0,
      creditStatus: 'available',
      refund: {
        id: randomUUID(),
        paymentId: payment.id,
        providerPaymentId: 'pi_refund_src',
        amountCents: 1_000,
        currency: EUR,
        providerRefundId: null,
        state: { status: 'pending' },
      },
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await db.unitOfWork.run(world.org.id, (tx) => tx.creditNotes.insert(note));
    expect(await db.unitOfWork.run(null, (tx) => tx.creditNotes.findById(note.id))).toEqual(note);

    const refundedAt = new Date();
    const updated = await db.unitOfWork.run(null, (tx) =>
      tx.creditNotes.update({
        ...note,
        refund: note.refund && {
          ...note.refund,
          providerRefundId: 're_1',
          state: { status: 'succeeded', refundedAt },
        },
      }),
    );
    expect(updated.version).toBe(2);
    const byProvider = await db.unitOfWork.run(null, (tx) => tx.creditNotes.findByProviderRefundId('re_1'));
    expect(byProvider).toEqual(updated);
    expect(
      await db.unitOfWork.run(null, (tx) => tx.creditNotes.findByRefundId(note.refund?.id ?? '')),
    ).toEqual(updated);
    expect(await db.unitOfWork.run(null, (tx) => tx.creditNotes.listByInvoice(invoice.id))).toEqual([
      updated,
    ]);
  });
});
