import { UniqueViolationError, VersionConflictError } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import {
  finalizedInvoice,
  insertAddOn,
  linkedCustomer,
  pendingPayment,
  seedWorld,
  stripeConnection,
  type World,
} from './fixtures.js';

let db: TestDatabase;
let world: World;

beforeAll(async () => {
  db = await createTestDatabase();
  world = await seedWorld(db);
});
afterAll(() => db?.dispose());

describe('repositories', () => {
  it('round-trips a customer with its billing link', async () => {
    const read = await db.unitOfWork.run(world.org.id, (tx) => tx.customers.findById(world.customer.id));
    expect(read).toEqual(world.customer);
    const byExternal = await db.unitOfWork.run(world.org.id, (tx) =>
      tx.customers.findByExternalId(world.org.id, world.customer.externalId),
    );
    expect(byExternal?.id).toBe(world.customer.id);
  });

  it('stores Stripe secrets sealed and opens them on read', async () => {
    const rows: { secret_key_sealed: string; webhook_secret_sealed: string }[] = await db.orm.em
      .fork()
      .execute(`select secret_key_sealed, webhook_secret_sealed from "${db.schema}".stripe_connections`);
    expect(rows[0]?.secret_key_sealed).not.toContain('sk_test');
    expect(rows[0]?.webhook_secret_sealed).not.toContain('whsec');
    const read = await db.unitOfWork.run(null, (tx) => tx.stripeConnections.findById(world.connection.id));
    expect(read?.secretKey.reveal()).toBe('sk_test_51SecretKeyValue4242');
    expect(read?.webhookEndpoint.signingSecret.reveal()).toBe('whsec_signing_secret_1');
  });

  it('reports a taken external_id as a unique violation on external_id', async () => {
    const dup = linkedCustomer(world.org.id, world.connection.id, 99, world.customer.externalId);
    const attempt = db.unitOfWork.run(world.org.id, (tx) => tx.customers.insert(dup));
    await expect(attempt).rejects.toBeInstanceOf(UniqueViolationError);
    await expect(attempt).rejects.toMatchObject({ entity: 'customer', field: 'external_id' });
  });

  it('reports a taken connection code as a unique violation on code', async () => {
    const attempt = db.unitOfWork.run(world.org.id, (tx) =>
      tx.stripeConnections.insert(stripeConnection(world.org.id, world.connection.code)),
    );
    await expect(attempt).rejects.toMatchObject({ name: 'UniqueViolationError', field: 'code' });
  });

  it('turns a dangling reference into a conflict, not a raw database error', async () => {
    const ghost = linkedCustomer(world.org.id, '00000000-0000-4000-8000-000000000000', 77);
    await expect(db.unitOfWork.run(world.org.id, (tx) => tx.customers.insert(ghost))).rejects.toBeInstanceOf(
      VersionConflictError,
    );
  });

  it('round-trips an invoice with fees and a payment through its states', async () => {
    const invoice = await db.unitOfWork.run(world.org.id, async (tx) => {
      const addOn = await insertAddOn(tx, world.org.id);
      const inv = finalizedInvoice(
        world,
        addOn,
        await tx.sequences.next({ kind: 'invoice', customerId: world.customer.id }),
      );
      await tx.invoices.insert(inv);
      return inv;
    });
    expect(await db.unitOfWork.run(null, (tx) => tx.invoices.findById(invoice.id))).toEqual(invoice);
    expect(
      await db.unitOfWork.run(null, (tx) =>
        tx.invoices.findByIds([invoice.id, '00000000-0000-4000-8000-000000000000']),
      ),
    ).toEqual([invoice]);
    expect(await db.unitOfWork.run(null, (tx) => tx.invoices.findByIds([]))).toEqual([]);

    const payment = pendingPayment(world, invoice);
    await db.unitOfWork.run(null, (tx) => tx.payments.insert(payment));
    expect(await db.unitOfWork.run(null, (tx) => tx.payments.findInFlightForInvoice(invoice.id))).toEqual(
      payment,
    );
    expect(
      await db.unitOfWork.run(null, (tx) => tx.payments.findInFlightForCustomer(world.customer.id)),
    ).toEqual(payment);
    expect(
      await db.unitOfWork.run(null, (tx) => tx.payments.findInFlightForConnection(world.connection.id)),
    ).toEqual(payment);

    const succeeded = await db.unitOfWork.run(null, (tx) =>
      tx.payments.update({
        ...payment,
        status: 'succeeded',
        providerPaymentId: 'pi_1',
        providerStatus: 'succeeded',
        succeededAt: new Date(),
      }),
    );
    expect(succeeded.version).toBe(2);
    const read = await db.unitOfWork.run(null, (tx) =>
      tx.payments.findByProviderPaymentId(world.connection.id, 'pi_1'),
    );
    expect(read).toEqual(succeeded);
    expect(await db.unitOfWork.run(null, (tx) => tx.payments.findInFlightForInvoice(invoice.id))).toBeNull();
    expect(
      await db.unitOfWork.run(null, (tx) => tx.payments.findInFlightForCustomer(world.customer.id)),
    ).toBeNull();
    expect(
      await db.unitOfWork.run(null, (tx) => tx.payments.findInFlightForConnection(world.connection.id)),
    ).toBeNull();
  });

  it('round-trips a payment link: no method, its page recorded later, the invoice waiting on it', async () => {
    const invoice = await db.unitOfWork.run(world.org.id, async (tx) => {
      const addOn = await insertAddOn(tx, world.org.id);
      const inv = finalizedInvoice(
        world,
        addOn,
        await tx.sequences.next({ kind: 'invoice', customerId: world.customer.id }),
      );
      await tx.invoices.insert(inv);
      return inv;
    });
    const link = {
      ...pendingPayment(world, invoice),
      providerPaymentMethodId: null,
      checkout: { lineItemName: invoice.number, session: null },
    };
    await db.unitOfWork.run(null, async (tx) => {
      await tx.payments.insert(link);
      await tx.invoices.update({
        ...invoice,
        payment: { status: 'pending', inFlightPaymentId: link.id, waitingFor: 'payment_link_open' },
      });
    });
    expect(await db.unitOfWork.run(null, (tx) => tx.payments.findById(link.id))).toEqual(link);
    expect((await db.unitOfWork.run(null, (tx) => tx.invoices.findById(invoice.id)))?.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: link.id,
      waitingFor: 'payment_link_open',
    });
    const session = {
      providerSessionId: 'cs_test_1',
      url: 'https://checkout.stripe.test/c/pay/cs_test_1',
      expiresAt: new Date('2026-12-05T10:00:00.000Z'),
    };
    const recorded = await db.unitOfWork.run(null, (tx) =>
      tx.payments.update({ ...link, checkout: { ...link.checkout, session } }),
    );
    expect(await db.unitOfWork.run(null, (tx) => tx.payments.findById(link.id))).toEqual(recorded);
    expect(recorded.checkout?.session?.expiresAt).toEqual(session.expiresAt);
  });

  it('round-trips a manual payment and lists it by invoice', async () => {
    const invoice = await db.unitOfWork.run(world.org.id, async (tx) => {
      const addOn = await insertAddOn(tx, world.org.id);
      const inv = finalizedInvoice(
        world,
        addOn,
        await tx.sequences.next({ kind: 'invoice', customerId: world.customer.id }),
      );
      await tx.invoices.insert(inv);
      return inv;
    });
    const at = new Date('2026-11-20T10:00:00Z');
    const payment = {
      id: '0f000000-0000-4000-8000-000000000001',
      organizationId: world.org.id,
      invoiceId: invoice.id,
      customerId: world.customer.id,
      amountCents: 1234,
      currency: invoice.currency,
      reference: 'wire 42',
      paidAt: at,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await db.unitOfWork.run(world.org.id, (tx) => tx.manualPayments.insert(payment));
    expect(await db.unitOfWork.run(null, (tx) => tx.manualPayments.findById(payment.id))).toEqual(payment);
    expect(await db.unitOfWork.run(null, (tx) => tx.manualPayments.listByInvoice(invoice.id))).toEqual([
      payment,
    ]);
  });

  it('a soft-deleted customer frees its external_id but is still found by id', async () => {
    const gone = linkedCustomer(world.org.id, world.connection.id, 55, 'cust_soft_deleted');
    await db.unitOfWork.run(world.org.id, (tx) => tx.customers.insert(gone));
    const at = new Date();
    await db.unitOfWork.run(world.org.id, (tx) =>
      tx.customers.update({ ...gone, billing: { provider: 'none' }, deletedAt: at, updatedAt: at }),
    );
    const [byId, byExternal] = await db.unitOfWork.run(world.org.id, async (tx) => [
      await tx.customers.findById(gone.id),
      await tx.customers.findByExternalId(world.org.id, 'cust_soft_deleted'),
    ]);
    expect(byId).toMatchObject({ id: gone.id, deletedAt: at });
    expect(byExternal).toBeNull();
    const successor = linkedCustomer(world.org.id, world.connection.id, 56, 'cust_soft_deleted');
    await db.unitOfWork.run(world.org.id, (tx) => tx.customers.insert(successor));
    const found = await db.unitOfWork.run(world.org.id, (tx) =>
      tx.customers.findByExternalId(world.org.id, 'cust_soft_deleted'),
    );
    expect(found?.id).toBe(successor.id);
  });

  it('lets only one of two concurrent updates of an invoice win', async () => {
    const invoice = await db.unitOfWork.run(world.org.id, async (tx) => {
      const addOn = await insertAddOn(tx, world.org.id);
      const inv = finalizedInvoice(
        world,
        addOn,
        await tx.sequences.next({ kind: 'invoice', customerId: world.customer.id }),
      );
      await tx.invoices.insert(inv);
      return inv;
    });
    const now = new Date();
    const results = await Promise.allSettled([
      db.unitOfWork.run(null, (tx) =>
        tx.invoices.update({
          ...invoice,
          payment: { status: 'succeeded', succeededAt: now, paymentId: null },
        }),
      ),
      db.unitOfWork.run(null, (tx) =>
        tx.invoices.update({
          ...invoice,
          payment: { status: 'failed', failedAt: now, paymentId: null, failure: { code: 'x', message: 'y' } },
        }),
      ),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(VersionConflictError);
    const stored = await db.unitOfWork.run(null, (tx) => tx.invoices.findById(invoice.id));
    expect(stored?.version).toBe(2);
    expect(stored?.payment.status).toBe(
      (won[0] as PromiseFulfilledResult<{ payment: { status: string } }>).value.payment.status,
    );
  });

  it('hands out gap-free sequence numbers per scope', async () => {
    const scope = { kind: 'customer', organizationId: world.org.id } as const;
    const numbers = await Promise.all(
      Array.from({ length: 5 }, () => db.unitOfWork.run(null, (tx) => tx.sequences.next(scope))),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });
});
