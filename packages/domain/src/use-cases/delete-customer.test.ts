import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { deleteCustomer } from './delete-customer.js';
import { upsertCustomer } from './upsert-customer.js';

const remove = (t: TestContext, externalId = 'cust_001', organizationId = t.organization.id) =>
  deleteCustomer({ ctx: t.ctx, input: { organizationId, externalId } });

describe('deleteCustomer', () => {
  it('soft-deletes: unlinked, methods gone, external id free, invoices still point at the row', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    const deleted = expectOk(await remove(t));
    expect(deleted).toMatchObject({
      id: customer.id,
      billing: { provider: 'none' },
      version: customer.version + 1,
    });
    expect(deleted.deletedAt).toEqual(t.clock.now());
    expect([...t.store.paymentMethods.values()].every((m) => m.deletedAt !== null)).toBe(true);
    expect(t.gateway.calls.some((c) => c.method.toLowerCase().includes('delete'))).toBe(false);
    expect(t.store.invoices.get(invoice.id)?.customerId).toBe(customer.id);

    const again = expectOk(
      await upsertCustomer({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, externalId: 'cust_001' },
      }),
    );
    expect(again.created).toBe(true);
    expect(again.customer.id).not.toBe(customer.id);
  });

  it('refuses while an attempt is in flight and changes nothing', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    expect(await remove(t)).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'payment_processor_is_currently_handling_payment' },
    });
    expect(t.store.customers.get(customer.id)).toMatchObject({ deletedAt: null, version: customer.version });
  });

  it('an unknown, already deleted or foreign customer is customer_not_found', async () => {
    const t = createTestContext();
    await givenLinkedCustomer(t);
    const missing = { ok: false, error: { kind: 'not_found', code: 'customer_not_found' } };
    expect(await remove(t, 'cust_001', '00000000-0000-4000-8000-0000000000ff')).toMatchObject(missing);
    expect(await remove(t, 'ghost')).toMatchObject(missing);
    expectOk(await remove(t));
    expect(await remove(t)).toMatchObject(missing);
  });
});
