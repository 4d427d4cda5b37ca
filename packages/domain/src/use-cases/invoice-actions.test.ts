import { describe, expect, it } from 'vitest';
import type { StripeCommand } from '../commands.js';
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
import { handleStripeCommand } from './handle-stripe-command.js';
import { loseDispute } from './lose-dispute.js';
import { reconcilePayment } from './reconcile-payment.js';
import { retryInvoicePayment } from './retry-invoice-payment.js';
import { scheduleReconciliation } from './schedule-reconciliation.js';
import { upsertCustomer } from './upsert-customer.js';
import { voidInvoice } from './void-invoice.js';

async function setup(t: TestContext) {
  const linked = await givenLinkedCustomer(t);
  await givenAddOn(t);
  const invoice = await givenInvoice(t);
  return { ...linked, invoice, org: t.organization.id };
}

function send(t: TestContext, connectionId: string, command: StripeCommand) {
  return handleStripeCommand({
    ctx: t.ctx,
    input: {
      organizationId: t.organization.id,
      connectionId,
      providerEventId: 'evt',
      occurredAt: t.clock.now(),
      command,
    },
  });
}

describe('retryInvoicePayment', () => {
  it('a failed invoice goes back to pending and collection is queued; the next attempt is a new payment', async () => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'failed' });
    expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    t.store.takeJobs();
    const retried = expectOk(
      await retryInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    expect(retried.payment).toEqual({ status: 'pending', inFlightPaymentId: null, waitingFor: null });
    expect(t.store.takeJobs().map((j) => j.name)).toEqual(['payment.collect']);
    const second = expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    expect(second).toMatchObject({ outcome: 'attempted', invoice: { payment: { status: 'succeeded' } } });
    expect(t.store.payments.size).toBe(2);
    expect(new Set(t.gateway.intentsFor(invoice.id).map((i) => i.idempotencyKey)).size).toBe(2);
  });

  it.each([
    ['paid', 'invalid_status'],
    ['voided', 'invalid_status'],
    ['in flight', 'payment_processor_is_currently_handling_payment'],
    ['dispute lost', 'invoice_dispute_lost'],
  ])('%s invoice → 405 %s', async (state, code) => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    const input = { organizationId: org, invoiceId: invoice.id };
    if (state === 'paid' || state === 'dispute lost')
      expectOk(await collectInvoicePayment({ ctx: t.ctx, input }));
    if (state === 'dispute lost') expectOk(await loseDispute({ ctx: t.ctx, input }));
    if (state === 'voided') expectOk(await voidInvoice({ ctx: t.ctx, input }));
    if (state === 'in flight') {
      t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
      expectOk(await collectInvoicePayment({ ctx: t.ctx, input }));
    }
    const jobsBefore = t.store.jobs.length;
    expect(await retryInvoicePayment({ ctx: t.ctx, input })).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code },
    });
    expect(t.store.jobs.length).toBe(jobsBefore);
  });

  it('a customer without provider gets invoice.payment_failure with customer_must_have_payment_provider', async () => {
    const t = createTestContext();
    const { invoice, org, customer } = await setup(t);
    expectOk(
      await upsertCustomer({
        ctx: t.ctx,
        input: {
          organizationId: org,
          externalId: customer.externalId,
          billingConfiguration: { paymentProvider: null },
        },
      }),
    );
    expectOk(
      await retryInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    expect(t.store.eventsOfType('invoice.payment_failure').at(-1)?.data).toMatchObject({
      provider_error: null,
      error_details: { code: 'customer_must_have_payment_provider' },
    });
  });
});

describe('voidInvoice', () => {
  it('voids an unpaid invoice and raises invoice.voided', async () => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    const voided = expectOk(
      await voidInvoice({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    expect(voided).toMatchObject({ status: 'voided', voidedAt: t.clock.now() });
    expect(t.store.eventsOfType('invoice.voided')).toHaveLength(1);
    expect(
      expectOk(
        await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
      ),
    ).toMatchObject({
      outcome: 'nothing_to_do',
    });
    expect(t.gateway.intents.size).toBe(0);
  });

  it.each([
    ['paid', 'not_voidable'],
    ['dispute lost', 'not_voidable'],
    ['voided', 'not_voidable'],
  ])('%s → 405 %s', async (state, code) => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    const input = { organizationId: org, invoiceId: invoice.id };
    if (state !== 'voided') expectOk(await collectInvoicePayment({ ctx: t.ctx, input }));
    if (state === 'dispute lost') expectOk(await loseDispute({ ctx: t.ctx, input }));
    if (state === 'voided') expectOk(await voidInvoice({ ctx: t.ctx, input }));
    expect(await voidInvoice({ ctx: t.ctx, input })).toMatchObject({ ok: false, error: { code } });
  });
});

describe('lost dispute', () => {
  it('from Stripe: sets payment_dispute_lost_at once and raises invoice.payment_dispute_lost', async () => {
    const t = createTestContext();
    const { invoice, org, connection } = await setup(t);
    expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    const [intent] = t.gateway.intentsFor(invoice.id);
    const closedAt = new Date('2026-12-01T10:00:00Z');
    const command: StripeCommand = {
      kind: 'dispute_closed',
      providerPaymentId: intent?.outcome.providerPaymentId ?? '',
      result: 'lost',
      reason: 'fraudulent',
      closedAt,
    };
    expect(expectOk(await send(t, connection.id, command))).toEqual({ result: 'dispute_lost' });
    expectOk(await send(t, connection.id, command));
    expect(t.store.invoices.get(invoice.id)?.paymentDisputeLostAt).toEqual(closedAt);
    expect(t.store.eventsOfType('invoice.payment_dispute_lost').map((e) => e.data)).toEqual([
      { lago_invoice_id: invoice.id, provider_error: 'fraudulent' },
    ]);
  });

  it('a won dispute changes nothing', async () => {
    const t = createTestContext();
    const { connection } = await setup(t);
    const result = expectOk(
      await send(t, connection.id, {
        kind: 'dispute_closed',
        providerPaymentId: 'pi_x',
        result: 'won',
        reason: null,
        closedAt: t.clock.now(),
      }),
    );
    expect(result).toEqual({ result: 'ignored:dispute_won' });
  });
});

describe('payment outcomes from Stripe events', () => {
  it('processing → succeeded through the webhook command; duplicates and late failures change nothing', async () => {
    const t = createTestContext();
    const { invoice, org, connection } = await setup(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    const collected = expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    if (collected.outcome !== 'attempted') throw new Error(collected.outcome);
    const base = {
      providerPaymentId: collected.payment.providerPaymentId ?? '',
      amountCents: 12_000,
      currency: invoice.currency,
    };
    const succeeded: StripeCommand = {
      kind: 'payment_intent_outcome',
      lagoPaymentId: collected.payment.id,
      lagoInvoiceId: invoice.id,
      outcome: { ...base, status: 'succeeded', providerStatus: 'succeeded' },
    };
    expect(expectOk(await send(t, connection.id, succeeded))).toEqual({ result: 'payment_succeeded' });
    expect(expectOk(await send(t, connection.id, succeeded))).toEqual({ result: 'payment_unchanged' });
    const lateFailure: StripeCommand = {
      kind: 'payment_intent_outcome',
      lagoPaymentId: null,
      lagoInvoiceId: null,
      outcome: {
        ...base,
        status: 'failed',
        providerStatus: 'requires_payment_method',
        code: 'card_declined',
        message: 'no',
      },
    };
    expect(expectOk(await send(t, connection.id, lateFailure))).toEqual({ result: 'payment_unchanged' });
    expect(t.store.invoices.get(invoice.id)).toMatchObject({
      payment: { status: 'succeeded' },
      totalPaidAmountCents: 12_000,
    });
    expect(t.store.eventsOfType('payment.succeeded')).toHaveLength(1);
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(0);
  });

  it('an outcome for a payment Payrail does not know is ignored', async () => {
    const t = createTestContext();
    const { connection, invoice } = await setup(t);
    const result = expectOk(
      await send(t, connection.id, {
        kind: 'payment_intent_outcome',
        lagoPaymentId: null,
        lagoInvoiceId: null,
        outcome: {
          providerPaymentId: 'pi_foreign',
          amountCents: 1,
          currency: invoice.currency,
          status: 'succeeded',
          providerStatus: 'succeeded',
        },
      }),
    );
    expect(result).toEqual({ result: 'ignored:unknown_payment' });
  });

  it('applyPaymentOutcome: 404 for an unknown payment', async () => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    const result = await applyPaymentOutcome({
      ctx: t.ctx,
      input: {
        organizationId: org,
        paymentId: 'nope',
        outcome: {
          providerPaymentId: 'pi',
          amountCents: 1,
          currency: invoice.currency,
          status: 'succeeded',
          providerStatus: 'succeeded',
        },
      },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'payment_not_found' } });
  });
});

describe('reconciliation', () => {
  it('re-reads a payment stuck in processing and applies the result', async () => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    const collected = expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    if (collected.outcome !== 'attempted') throw new Error(collected.outcome);
    t.clock.advance(60 * 60 * 1000);
    expect(
      expectOk(
        await scheduleReconciliation({ ctx: t.ctx, input: { olderThanMs: 30 * 60 * 1000, limit: 10 } }),
      ),
    ).toEqual({ scheduled: 1 });
    expect(t.store.jobsNamed('payment.reconcile').at(-1)?.payload).toEqual({
      organizationId: org,
      paymentId: collected.payment.id,
    });

    const pi = collected.payment.providerPaymentId ?? '';
    t.gateway.settleIntent(pi, {
      providerPaymentId: pi,
      amountCents: 12_000,
      currency: invoice.currency,
      status: 'succeeded',
      providerStatus: 'succeeded',
    });
    const reconciled = expectOk(
      await reconcilePayment({ ctx: t.ctx, input: { organizationId: org, paymentId: collected.payment.id } }),
    );
    expect(reconciled).toMatchObject({
      changed: true,
      payment: { status: 'succeeded' },
      invoice: { payment: { status: 'succeeded' } },
    });
    expect(
      expectOk(await scheduleReconciliation({ ctx: t.ctx, input: { olderThanMs: 0, limit: 10 } })),
    ).toEqual({ scheduled: 0 });
  });

  it('resumes an attempt that never got an answer, with the same key', async () => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } });
    const [payment] = [...t.store.payments.values()];
    const reconciled = expectOk(
      await reconcilePayment({ ctx: t.ctx, input: { organizationId: org, paymentId: payment?.id ?? '' } }),
    );
    expect(reconciled).toMatchObject({ changed: true, payment: { status: 'succeeded' } });
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(1);
  });

  it('past the idempotency window an unanswered attempt is looked up at the provider, never resent', async () => {
    const t = createTestContext();
    const { invoice, org } = await setup(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } });
    const [payment] = [...t.store.payments.values()];
    t.clock.advance(24 * 60 * 60 * 1000);
    const calls = t.gateway.calls.length;
    expect(
      expectOk(
        await reconcilePayment({ ctx: t.ctx, input: { organizationId: org, paymentId: payment?.id ?? '' } }),
      ),
    ).toMatchObject({ changed: true, payment: { status: 'succeeded' } });
    expect(t.gateway.calls.slice(calls).map((c) => c.method)).toEqual(['findPaymentIntent']);
  });
});
