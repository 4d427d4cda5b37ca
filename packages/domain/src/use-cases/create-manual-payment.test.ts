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
import type { CreateManualPaymentInput } from './create-manual-payment.js';
import { createManualPayment } from './create-manual-payment.js';
import { loseDispute } from './lose-dispute.js';
import { voidInvoice } from './void-invoice.js';

async function setUp(t: TestContext) {
  await givenLinkedCustomer(t);
  await givenAddOn(t, 'setup_fee', 10_000);
  return givenInvoice(t);
}

const pay = (t: TestContext, input: Omit<CreateManualPaymentInput, 'organizationId'>) =>
  createManualPayment({ ctx: t.ctx, input: { organizationId: t.organization.id, ...input } });
const collect = (t: TestContext, invoiceId: string) =>
  collectInvoicePayment({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId } });

describe('createManualPayment', () => {
  it('partial then full: paid once nothing is due, one event, and Stripe then charges nothing', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    const first = expectOk(await pay(t, { invoiceId: invoice.id, amountCents: 4000, reference: 'wire 1' }));
    expect(first.invoice).toMatchObject({ totalPaidAmountCents: 4000, payment: { status: 'pending' } });
    expect(t.store.eventsOfType('invoice.payment_status_updated')).toHaveLength(0);
    const second = expectOk(await pay(t, { invoiceId: invoice.id, amountCents: 6000, reference: 'wire 2' }));
    expect(second.invoice).toMatchObject({
      totalPaidAmountCents: 10_000,
      payment: { status: 'succeeded', paymentId: second.payment.id },
    });
    expect(second.payment).toMatchObject({ amountCents: 6000, reference: 'wire 2', currency: 'EUR' });
    expect(t.store.eventsOfType('invoice.payment_status_updated')).toHaveLength(1);
    expect(expectOk(await collect(t, invoice.id)).outcome).toBe('nothing_to_do');
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(0);
  });

  it('a partial manual payment lowers what Stripe is asked for', async () => {
    const t = createTestContext();
    const invoice = await setUp(t);
    expectOk(await pay(t, { invoiceId: invoice.id, amountCents: 2500, reference: 'cash' }));
    const result = expectOk(await collect(t, invoice.id));
    if (result.outcome !== 'attempted') throw new Error(result.outcome);
    expect(result.payment.amountCents).toBe(7500);
    expect(result.invoice).toMatchObject({ totalPaidAmountCents: 10_000, payment: { status: 'succeeded' } });
  });

  it.each<[string, Partial<CreateManualPaymentInput>, object]>([
    ['zero', { amountCents: 0 }, { details: { amount_cents: ['invalid_value'] } }],
    ['a fraction', { amountCents: 1.5 }, { details: { amount_cents: ['invalid_value'] } }],
    [
      'above what is due',
      { amountCents: 10_001 },
      { details: { amount_cents: ['higher_than_remaining_invoice_amount'] } },
    ],
    ['no reference', { reference: ' ' }, { details: { reference: ['value_is_mandatory'] } }],
    [
      'an unknown invoice',
      { invoiceId: '00000000-0000-4000-8000-0000000000ff' },
      { code: 'invoice_not_found' },
    ],
  ])('refuses %s and changes nothing', async (_name, override, error) => {
    const t = createTestContext();
    const invoice = await setUp(t);
    const result = await pay(t, { invoiceId: invoice.id, amountCents: 100, reference: 'r', ...override });
    expect(result).toMatchObject({ ok: false, error });
    expect(t.store.manualPayments.size).toBe(0);
    expect(t.store.invoices.get(invoice.id)?.version).toBe(invoice.version);
  });

  it('refuses a paid, voided, in-flight or disputed invoice with a 405 code', async () => {
    const t = createTestContext();
    const paid = await setUp(t);
    expectOk(await collect(t, paid.id));
    expect(await pay(t, { invoiceId: paid.id, amountCents: 1, reference: 'r' })).toMatchObject({
      error: { kind: 'not_allowed', code: 'invalid_status' },
    });
    const voided = await givenInvoice(t);
    expectOk(
      await voidInvoice({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: voided.id } }),
    );
    expect(await pay(t, { invoiceId: voided.id, amountCents: 1, reference: 'r' })).toMatchObject({
      error: { code: 'invalid_status' },
    });
    const inFlight = await givenInvoice(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    expectOk(await collect(t, inFlight.id));
    expect(await pay(t, { invoiceId: inFlight.id, amountCents: 1, reference: 'r' })).toMatchObject({
      error: { code: 'payment_processor_is_currently_handling_payment' },
    });
    const disputed = await givenInvoice(t, { skipPsp: true });
    expectOk(
      await loseDispute({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: disputed.id } }),
    );
    expect(await pay(t, { invoiceId: disputed.id, amountCents: 1, reference: 'r' })).toMatchObject({
      error: { code: 'invoice_dispute_lost' },
    });
    expect(t.store.manualPayments.size).toBe(0);
  });
});
