import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { applyRefundOutcome } from './apply-refund-outcome.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import type { CreateCreditNoteInput } from './create-credit-note.js';
import { createCreditNote } from './create-credit-note.js';
import { handleStripeCommand } from './handle-stripe-command.js';
import { loseDispute } from './lose-dispute.js';
import { refundCreditNote } from './refund-credit-note.js';

async function paidInvoice(t: TestContext, pay = true) {
  const linked = await givenLinkedCustomer(t);
  await givenAddOn(t, 'setup_fee', 10_000);
  const invoice = await givenInvoice(t);
  if (pay)
    expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
  const feeId = invoice.fees[0]?.id ?? '';
  return { ...linked, invoice, feeId };
}

function note(t: TestContext, input: Omit<CreateCreditNoteInput, 'organizationId'>) {
  return createCreditNote({ ctx: t.ctx, input: { organizationId: t.organization.id, ...input } });
}

describe('credit notes and refunds', () => {
  it('a refund on a paid invoice: pending, queued, sent with refund-{id}, then succeeded', async () => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t);
    const cn = expectOk(
      await note(t, {
        invoiceId: invoice.id,
        items: [{ feeId, amountCents: 4000 }],
        refundAmountCents: 3000,
        creditAmountCents: 1000,
        reason: 'duplicated_charge',
      }),
    );
    expect(cn).toMatchObject({
      number: `${invoice.number}-CN001`,
      totalAmountCents: 4000,
      balanceAmountCents: 1000,
      creditStatus: 'available',
      refund: { amountCents: 3000, state: { status: 'pending' }, providerRefundId: null },
    });
    expect(t.store.jobsNamed('payment.refund')[0]?.payload).toEqual({
      organizationId: t.organization.id,
      creditNoteId: cn.id,
    });
    expect(t.store.eventsOfType('credit_note.created')).toHaveLength(1);

    const refunded = expectOk(
      await refundCreditNote({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, creditNoteId: cn.id },
      }),
    );
    expect(refunded.refund).toMatchObject({ state: { status: 'succeeded' } });
    expect(t.gateway.calls.filter((c) => c.method === 'createRefund').map((c) => c.input)).toEqual([
      expect.objectContaining({
        amountCents: 3000,
        reason: 'duplicate',
        idempotencyKey: `refund-${cn.refund?.id}`,
      }),
    ]);
    expectOk(
      await refundCreditNote({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, creditNoteId: cn.id },
      }),
    );
    expect(t.gateway.refunds.size).toBe(1);
  });

  it('a credit note without refund has no refund status and queues nothing', async () => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t);
    const cn = expectOk(
      await note(t, { invoiceId: invoice.id, items: [{ feeId, amountCents: 500 }], creditAmountCents: 500 }),
    );
    expect(cn.refund).toBeNull();
    expect(t.store.jobsNamed('payment.refund')).toHaveLength(0);
  });

  it('refund failure: failed status, credit_note.refund_failure, and the amount becomes refundable again', async () => {
    const t = createTestContext();
    const { invoice, feeId, customer, providerCustomerId, connection } = await paidInvoice(t);
    const cn = expectOk(
      await note(t, {
        invoiceId: invoice.id,
        items: [{ feeId, amountCents: 10_000 }],
        refundAmountCents: 10_000,
      }),
    );
    t.gateway.refundScript.push({ kind: 'outcome', status: 'pending' });
    const sent = expectOk(
      await refundCreditNote({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, creditNoteId: cn.id },
      }),
    );
    const providerRefundId = sent.refund?.providerRefundId ?? '';
    expect(providerRefundId).not.toBe('');
    const failed = expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt_r',
          occurredAt: t.clock.now(),
          command: {
            kind: 'refund_outcome',
            lagoCreditNoteId: null,
            outcome: {
              providerRefundId,
              providerPaymentId: 'pi',
              amountCents: 10_000,
              status: 'failed',
              code: 'expired_or_canceled_card',
              message: 'Card expired',
            },
          },
        },
      }),
    );
    expect(failed).toEqual({ result: 'refund_failed' });
    expect(t.store.eventsOfType('credit_note.refund_failure').map((e) => e.data)).toEqual([
      {
        lago_credit_note_id: cn.id,
        lago_customer_id: customer.id,
        external_customer_id: customer.externalId,
        provider_customer_id: providerCustomerId,
        payment_provider: 'stripe',
        payment_provider_code: connection.code,
        provider_error: { message: 'Card expired', error_code: 'expired_or_canceled_card' },
      },
    ]);
    const late = expectOk(
      await applyRefundOutcome({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          creditNoteId: cn.id,
          outcome: { providerRefundId, providerPaymentId: 'pi', amountCents: 10_000, status: 'succeeded' },
        },
      }),
    );
    expect(late.refund?.state.status).toBe('failed');
    expect(t.store.invoices.get(invoice.id)?.credited.refundCents).toBe(0);
  });

  it.each<
    [string, (feeId: string) => Omit<CreateCreditNoteInput, 'organizationId' | 'invoiceId'>, boolean, object]
  >([
    [
      'amounts not matching items',
      (f) => ({ items: [{ feeId: f, amountCents: 100 }], refundAmountCents: 50 }),
      true,
      { details: { base: ['does_not_match_item_amounts'] } },
    ],
    [
      'refund on an unpaid invoice',
      (f) => ({ items: [{ feeId: f, amountCents: 100 }], refundAmountCents: 100 }),
      false,
      { details: { refund_amount_cents: ['cannot_refund_unpaid_invoice'] } },
    ],
    [
      'refund above what was paid',
      (f) => ({ items: [{ feeId: f, amountCents: 10_001 }], refundAmountCents: 10_001 }),
      true,
      { details: { amount_cents: ['higher_than_remaining_fee_amount'] } },
    ],
    [
      'unknown fee',
      () => ({ items: [{ feeId: 'nope', amountCents: 1 }], creditAmountCents: 1 }),
      true,
      { kind: 'not_found', code: 'fee_not_found' },
    ],
    [
      'unknown reason',
      (f) => ({ items: [{ feeId: f, amountCents: 1 }], creditAmountCents: 1, reason: 'whim' }),
      true,
      { details: { reason: ['value_is_invalid'] } },
    ],
  ])('rejects: %s', async (_name, build, pay, error) => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t, pay);
    const result = await note(t, { invoiceId: invoice.id, ...build(feeId) });
    expect(result).toMatchObject({ ok: false, error });
    expect(t.store.creditNotes.size).toBe(0);
  });

  it('a second refund cannot exceed what remains', async () => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t);
    expectOk(
      await note(t, {
        invoiceId: invoice.id,
        items: [{ feeId, amountCents: 7000 }],
        refundAmountCents: 7000,
      }),
    );
    const result = await note(t, {
      invoiceId: invoice.id,
      items: [{ feeId, amountCents: 3001 }],
      refundAmountCents: 3001,
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expectOk(
      await note(t, {
        invoiceId: invoice.id,
        items: [{ feeId, amountCents: 3000 }],
        refundAmountCents: 3000,
      }),
    );
  });

  it('after a lost dispute: a credit note is fine, a refund is refused with cannot_refund_disputed_invoice', async () => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t);
    expectOk(
      await loseDispute({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    );
    expectOk(
      await note(t, { invoiceId: invoice.id, items: [{ feeId, amountCents: 100 }], creditAmountCents: 100 }),
    );
    expect(
      await note(t, { invoiceId: invoice.id, items: [{ feeId, amountCents: 100 }], refundAmountCents: 100 }),
    ).toMatchObject({
      ok: false,
      error: { details: { refund_amount_cents: ['cannot_refund_disputed_invoice'] } },
    });
  });

  it('a dispute lost after the note was created stops its refund from being sent', async () => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t);
    const cn = expectOk(
      await note(t, { invoiceId: invoice.id, items: [{ feeId, amountCents: 100 }], refundAmountCents: 100 }),
    );
    expectOk(
      await loseDispute({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    );
    const result = expectOk(
      await refundCreditNote({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, creditNoteId: cn.id },
      }),
    );
    expect(result.refund?.state).toMatchObject({
      status: 'failed',
      failure: { code: 'invoice_dispute_lost' },
    });
    expect(t.gateway.calls.some((c) => c.method === 'createRefund')).toBe(false);
  });

  it('a credit note on a voided or draft invoice → 405 invalid_type_or_status', async () => {
    const t = createTestContext();
    const { invoice, feeId } = await paidInvoice(t, false);
    const { voidInvoice } = await import('./void-invoice.js');
    expectOk(
      await voidInvoice({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    );
    expect(
      await note(t, { invoiceId: invoice.id, items: [{ feeId, amountCents: 1 }], offsetAmountCents: 1 }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'invalid_type_or_status' },
    });
  });
});
