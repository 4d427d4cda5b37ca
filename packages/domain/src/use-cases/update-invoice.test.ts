import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { applyPaymentOutcome } from './apply-payment-outcome.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import type { UpdateInvoiceInput } from './update-invoice.js';
import { updateInvoice } from './update-invoice.js';
import { voidInvoice } from './void-invoice.js';

async function setUp(t: TestContext) {
  await givenLinkedCustomer(t);
  await givenAddOn(t);
  return givenInvoice(t);
}

const update = (t: TestContext, input: Omit<UpdateInvoiceInput, 'organizationId'>) =>
  updateInvoice({ ctx: t.ctx, input: { organizationId: t.organization.id, ...input } });

const statusEvents = (t: TestContext) =>
  t.store.events.filter((e) => e.type === 'invoice.payment_status_updated');

describe('updateInvoice', () => {
  it('a manual succeeded closes the invoice once, raises the event once and records no money', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    const first = expectOk(await update(t, { invoiceId: invoice.id, paymentStatus: 'succeeded' }));
    expect(first.payment).toMatchObject({ status: 'succeeded', paymentId: null });
    expect(first.totalPaidAmountCents).toBe(0);
    expect(statusEvents(t)).toHaveLength(1);
    const again = expectOk(await update(t, { invoiceId: invoice.id, paymentStatus: 'succeeded' }));
    expect(again.version).toBe(first.version);
    expect(statusEvents(t)).toHaveLength(1);
    // No new attempt can start: a later charge cannot count twice.
    const collected = expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    expect(collected.outcome).toBe('nothing_to_do');
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(0);
  });

  it('pending → failed → pending, each change with its event', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    expect(expectOk(await update(t, { invoiceId: invoice.id, paymentStatus: 'failed' })).payment.status).toBe(
      'failed',
    );
    expect(
      expectOk(await update(t, { invoiceId: invoice.id, paymentStatus: 'pending' })).payment.status,
    ).toBe('pending');
    expect(statusEvents(t)).toHaveLength(2);
  });

  it('refuses while an attempt is in flight, and a provider success is final', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    const attempt = expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    if (attempt.outcome !== 'attempted') throw new Error(attempt.outcome);
    expect(await update(t, { invoiceId: invoice.id, paymentStatus: 'succeeded' })).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'payment_processor_is_currently_handling_payment' },
    });
    expectOk(
      await applyPaymentOutcome({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          paymentId: attempt.payment.id,
          outcome: {
            status: 'succeeded',
            providerPaymentId: attempt.payment.providerPaymentId ?? 'pi_x',
            providerStatus: 'succeeded',
            amountCents: attempt.payment.amountCents,
            currency: attempt.payment.currency,
          },
        },
      }),
    );
    expect(await update(t, { invoiceId: invoice.id, paymentStatus: 'pending' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_status' },
    });
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('succeeded');
  });

  it('replaces metadata: an entry with its id keeps it, others are new, missing ones go', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    const one = expectOk(
      await update(t, {
        invoiceId: invoice.id,
        metadata: [
          { key: 'po', value: '42' },
          { key: 'team', value: 'ops' },
        ],
      }),
    );
    const po = one.metadata[0];
    expect(one.metadata.map((m) => [m.key, m.value])).toEqual([
      ['po', '42'],
      ['team', 'ops'],
    ]);
    const two = expectOk(
      await update(t, {
        invoiceId: invoice.id,
        metadata: [
          { id: po?.id, key: 'po', value: '43' },
          { key: 'cost_center', value: 'x' },
        ],
      }),
    );
    expect(two.metadata).toEqual([
      { ...po, value: '43' },
      expect.objectContaining({ key: 'cost_center', value: 'x' }),
    ]);
    expect(statusEvents(t)).toHaveLength(0);
  });

  it.each<[string, Omit<UpdateInvoiceInput, 'organizationId' | 'invoiceId'>, object]>([
    ['an unknown status', { paymentStatus: 'paid' }, { details: { payment_status: ['value_is_invalid'] } }],
    ['an empty key', { metadata: [{ key: ' ', value: 'x' }] }, { details: { key: ['value_is_mandatory'] } }],
    [
      'too many entries',
      { metadata: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) },
      { details: { metadata: ['invalid_count'] } },
    ],
  ])('rejects %s and changes nothing', async (_name, change, error) => {
    const t = createTestContext();
    const invoice = await setUp(t);
    expect(await update(t, { invoiceId: invoice.id, ...change })).toMatchObject({ ok: false, error });
    expect(t.store.invoices.get(invoice.id)?.version).toBe(invoice.version);
  });

  it('a voided invoice is 405 update_on_voided_invoice; a foreign one is not found', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    expectOk(
      await voidInvoice({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    );
    expect(await update(t, { invoiceId: invoice.id, metadata: [] })).toMatchObject({
      ok: false,
      error: { code: 'update_on_voided_invoice' },
    });
    expect(
      await updateInvoice({
        ctx: t.ctx,
        input: {
          organizationId: '00000000-0000-4000-8000-0000000000ff',
          invoiceId: invoice.id,
          paymentStatus: 'failed',
        },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invoice_not_found' } });
  });
});
