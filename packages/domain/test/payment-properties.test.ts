import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collectInvoicePayment,
  createCreditNote,
  handleStripeCommand,
  loseDispute,
  type PaymentIntentOutcome,
  reconcilePayment,
  refundCreditNote,
  retryInvoicePayment,
  type StripeCommand,
  scheduleReconciliation,
  voidInvoice,
} from '../src/index.js';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type IntentScript,
  type TestContext,
} from '../src/testing/index.js';

/**
 * Random histories of one invoice: jobs run (and re-run), the merchant retries, voids and issues
 * credit notes, Stripe settles intents and refunds on its own schedule, and its events arrive
 * duplicated and in any order. Whatever happens, money rules hold.
 */

type Action =
  | { kind: 'collect' }
  | { kind: 'collect_twice_concurrently' }
  | { kind: 'retry' }
  | { kind: 'void' }
  | { kind: 'lose_dispute_api' }
  | { kind: 'stripe_settles_intent'; pick: number; status: 'succeeded' | 'failed' | 'canceled' }
  | { kind: 'stripe_dispute_lost'; pick: number }
  | { kind: 'stripe_settles_refund'; pick: number; status: 'succeeded' | 'failed' }
  | { kind: 'deliver_event'; pick: number; dropMetadata: boolean }
  | { kind: 'credit_note'; refund: number; credit: number }
  | { kind: 'refund_job'; pick: number }
  | { kind: 'reconcile'; pick: number }
  | { kind: 'sweep' }
  | { kind: 'advance'; minutes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'collect' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'collect_twice_concurrently' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'retry' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'void' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lose_dispute_api' } as const) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('stripe_settles_intent' as const),
      pick: fc.nat(),
      status: fc.constantFrom('succeeded' as const, 'failed' as const, 'canceled' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stripe_dispute_lost' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('stripe_settles_refund' as const),
      pick: fc.nat(),
      status: fc.constantFrom('succeeded' as const, 'failed' as const),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deliver_event' as const),
      pick: fc.nat(),
      dropMetadata: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('credit_note' as const),
      refund: fc.oneof(fc.integer({ min: 0, max: 12_000 }), fc.constantFrom(6_000, 12_000)),
      credit: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_000 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund_job' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reconcile' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' } as const) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      minutes: fc.integer({ min: 1, max: 120 }),
    }),
  },
);

const intentScript: fc.Arbitrary<IntentScript> = fc.oneof(
  fc.constantFrom<IntentScript>(
    { kind: 'outcome', status: 'succeeded' },
    { kind: 'outcome', status: 'processing' },
    { kind: 'outcome', status: 'requires_action' },
    { kind: 'outcome', status: 'canceled' },
    { kind: 'outcome', status: 'failed' },
    { kind: 'lost_response', status: 'succeeded' },
    { kind: 'lost_response', status: 'processing' },
    { kind: 'error', error: { code: 'retryable', reason: 'rate_limited', message: '429' } },
    { kind: 'error', error: { code: 'amount_too_small', message: 'too small' } },
    {
      kind: 'error',
      error: {
        code: 'card_declined',
        providerCode: 'insufficient_funds',
        message: 'declined',
        providerPaymentId: null,
      },
    },
  ),
);

interface World {
  readonly t: TestContext;
  readonly invoiceId: string;
  readonly feeId: string;
  readonly connectionId: string;
  readonly pool: StripeCommand[];
  readonly seenIntents: Set<string>;
}

const inFlightStatuses = new Set(['processing', 'requires_action']);

function withOutcome(
  outcome: PaymentIntentOutcome,
  status: 'succeeded' | 'failed' | 'canceled',
): PaymentIntentOutcome {
  const base = {
    providerPaymentId: outcome.providerPaymentId,
    amountCents: outcome.amountCents,
    currency: outcome.currency,
  };
  if (status === 'failed')
    return {
      ...base,
      status,
      providerStatus: 'requires_payment_method',
      code: 'card_declined',
      message: 'no',
    };
  if (status === 'canceled') return { ...base, status, providerStatus: 'canceled', reason: null };
  return { ...base, status, providerStatus: 'succeeded' };
}

/** Stripe emits an event for every intent it creates; collect them as they appear. */
function harvestNewIntents(w: World): void {
  for (const [id, intent] of w.t.gateway.intents) {
    if (w.seenIntents.has(id)) continue;
    w.seenIntents.add(id);
    w.pool.push({
      kind: 'payment_intent_outcome',
      lagoPaymentId: intent.metadata.lago_payment_id ?? null,
      lagoInvoiceId: intent.metadata.lago_invoice_id ?? null,
      outcome: intent.outcome,
    });
  }
}

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

async function perform(w: World, a: Action): Promise<void> {
  const { t } = w;
  const org = t.organization.id;
  const ctx = t.ctx;
  const invoiceInput = { organizationId: org, invoiceId: w.invoiceId };
  switch (a.kind) {
    case 'collect':
      await collectInvoicePayment({ ctx, input: invoiceInput });
      return;
    case 'collect_twice_concurrently':
      await Promise.all([
        collectInvoicePayment({ ctx, input: invoiceInput }),
        collectInvoicePayment({ ctx, input: invoiceInput }),
      ]);
      return;
    case 'retry':
      await retryInvoicePayment({ ctx, input: invoiceInput });
      return;
    case 'void':
      await voidInvoice({ ctx, input: invoiceInput });
      return;
    case 'lose_dispute_api':
      await loseDispute({ ctx, input: invoiceInput });
      return;
    case 'stripe_settles_intent': {
      const open = [...t.gateway.intents.values()].filter((i) => inFlightStatuses.has(i.outcome.status));
      const intent = pick(open, a.pick);
      if (!intent) return;
      const outcome = withOutcome(intent.outcome, a.status);
      t.gateway.settleIntent(intent.outcome.providerPaymentId, outcome);
      w.pool.push({
        kind: 'payment_intent_outcome',
        lagoPaymentId: intent.metadata.lago_payment_id ?? null,
        lagoInvoiceId: intent.metadata.lago_invoice_id ?? null,
        outcome,
      });
      return;
    }
    case 'stripe_dispute_lost': {
      const charged = [...t.gateway.intents.values()].filter((i) => i.outcome.status === 'succeeded');
      const intent = pick(charged, a.pick);
      if (!intent) return;
      w.pool.push({
        kind: 'dispute_closed',
        providerPaymentId: intent.outcome.providerPaymentId,
        result: 'lost',
        reason: 'fraudulent',
        closedAt: t.clock.now(),
      });
      return;
    }
    case 'stripe_settles_refund': {
      const pending = [...t.gateway.refunds.values()].filter((r) => r.status === 'pending');
      const refund = pick(pending, a.pick);
      if (!refund) return;
      const base = {
        providerRefundId: refund.providerRefundId,
        providerPaymentId: refund.providerPaymentId,
        amountCents: refund.amountCents,
      };
      const outcome =
        a.status === 'failed'
          ? ({ ...base, status: 'failed', code: 'expired_or_canceled_card', message: 'expired' } as const)
          : ({ ...base, status: 'succeeded' } as const);
      t.gateway.refunds.set(refund.providerRefundId, outcome);
      w.pool.push({ kind: 'refund_outcome', lagoCreditNoteId: null, outcome });
      return;
    }
    case 'deliver_event': {
      const command = pick(w.pool, a.pick);
      if (!command) return;
      const delivered: StripeCommand =
        a.dropMetadata && command.kind === 'payment_intent_outcome'
          ? { ...command, lagoPaymentId: null }
          : command;
      await handleStripeCommand({
        ctx,
        input: {
          organizationId: org,
          connectionId: w.connectionId,
          providerEventId: 'evt',
          occurredAt: t.clock.now(),
          command: delivered,
        },
      });
      return;
    }
    case 'credit_note': {
      const amount = a.refund + a.credit;
      if (amount === 0) return;
      const created = await createCreditNote({
        ctx,
        input: {
          organizationId: org,
          invoiceId: w.invoiceId,
          items: [{ feeId: w.feeId, amountCents: amount }],
          refundAmountCents: a.refund,
          creditAmountCents: a.credit,
        },
      });
      if (created.ok) {
        const refundPlanned = a.refund > 0;
        expect(created.value.refund !== null).toBe(refundPlanned);
      }
      return;
    }
    case 'refund_job': {
      const note = pick(
        [...t.store.creditNotes.values()].filter((c) => c.refund),
        a.pick,
      );
      if (note) await refundCreditNote({ ctx, input: { organizationId: org, creditNoteId: note.id } });
      return;
    }
    case 'reconcile': {
      const payment = pick([...t.store.payments.values()], a.pick);
      if (payment) await reconcilePayment({ ctx, input: { organizationId: org, paymentId: payment.id } });
      return;
    }
    case 'sweep':
      await scheduleReconciliation({ ctx, input: { olderThanMs: 0, limit: 10 } });
      return;
    case 'advance':
      t.clock.advance(a.minutes * 60_000);
      return;
  }
}

/** `paidFirst` starts half of the histories from a paid invoice, so refunds and disputes get exercised. */
async function newWorld(scripts: IntentScript[], paidFirst = false): Promise<World> {
  const t = createTestContext();
  const { connection } = await givenLinkedCustomer(t);
  await givenAddOn(t, 'setup_fee', 12_000);
  const invoice = await givenInvoice(t);
  const world: World = {
    t,
    invoiceId: invoice.id,
    feeId: invoice.fees[0]?.id ?? '',
    connectionId: connection.id,
    pool: [],
    seenIntents: new Set(),
  };
  if (paidFirst) {
    await collectInvoicePayment({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, invoiceId: invoice.id },
    });
    harvestNewIntents(world);
  }
  t.gateway.intentScript.push(...scripts);
  return world;
}

function snapshot(w: World) {
  const invoice = w.t.store.invoices.get(w.invoiceId);
  if (!invoice) throw new Error('invoice vanished');
  const payments = [...w.t.store.payments.values()].filter((p) => p.invoiceId === w.invoiceId);
  const notes = [...w.t.store.creditNotes.values()].filter((c) => c.invoiceId === w.invoiceId);
  return {
    invoice,
    payments,
    succeededPaymentIds: payments.filter((p) => p.status === 'succeeded').map((p) => p.id),
    charges: w.t.gateway.succeededChargesFor(w.invoiceId).length,
    intents: w.t.gateway.intentsFor(w.invoiceId).length,
    gatewayRefunds: w.t.gateway.refunds.size,
    gatewayRefundedCents: [...w.t.gateway.refunds.values()]
      .filter((r) => r.status !== 'failed')
      .reduce((s, r) => s + r.amountCents, 0),
    chargedCents: w.t.gateway.succeededChargesFor(w.invoiceId).reduce((s, i) => s + i.outcome.amountCents, 0),
    liveRefundCents: notes
      .map((c) => c.refund)
      .filter((r) => r !== null && r.state.status !== 'failed')
      .reduce((s, r) => s + (r?.amountCents ?? 0), 0),
  };
}

const afterPaymentAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('credit_note' as const),
    refund: fc.integer({ min: 1, max: 6_000 }),
    credit: fc.constant(0),
  }),
  fc.record({ kind: fc.constant('refund_job' as const), pick: fc.nat() }),
  fc.constant({ kind: 'lose_dispute_api' } as const),
  fc.record({ kind: fc.constant('stripe_dispute_lost' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('deliver_event' as const), pick: fc.nat(), dropMetadata: fc.boolean() }),
  fc.record({
    kind: fc.constant('stripe_settles_refund' as const),
    pick: fc.nat(),
    status: fc.constantFrom('succeeded' as const, 'failed' as const),
  }),
  fc.constantFrom<Action>({ kind: 'retry' }, { kind: 'void' }, { kind: 'collect' }, { kind: 'sweep' }),
);

describe('payment properties under arbitrary histories', () => {
  it('never charges twice, never undoes a success, nothing after a lost dispute, refunds within what was paid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(intentScript, { maxLength: 8 }),
        fc.array(action, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        async (scripts, actions, paidFirst) => {
          const w = await newWorld(scripts, paidFirst);
          let before = snapshot(w);
          let afterDispute: ReturnType<typeof snapshot> | null = null;
          for (const a of actions) {
            await perform(w, a);
            harvestNewIntents(w);
            const now = snapshot(w);

            // one successful charge per invoice, at Stripe and in our books
            expect(now.charges).toBeLessThanOrEqual(1);
            expect(now.succeededPaymentIds.length).toBeLessThanOrEqual(1);
            expect(now.invoice.totalPaidAmountCents).toBeLessThanOrEqual(now.invoice.totalAmountCents);

            // a success is final: for the payment and for the invoice
            for (const id of before.succeededPaymentIds) expect(now.succeededPaymentIds).toContain(id);
            if (before.invoice.payment.status === 'succeeded')
              expect(now.invoice.payment.status).toBe('succeeded');
            if (now.invoice.payment.status === 'succeeded') expect(now.invoice.status).toBe('finalized');

            // refunds never exceed what was paid
            expect(now.liveRefundCents).toBeLessThanOrEqual(now.invoice.totalPaidAmountCents);
            expect(now.gatewayRefundedCents).toBeLessThanOrEqual(now.chargedCents);

            // after a lost dispute: no refund, no void, no new attempt
            if (afterDispute) {
              expect(now.gatewayRefunds).toBe(afterDispute.gatewayRefunds);
              expect(now.invoice.status).toBe(afterDispute.invoice.status);
              expect(now.payments.length).toBe(afterDispute.payments.length);
              expect(now.intents).toBe(afterDispute.intents);
            } else if (now.invoice.paymentDisputeLostAt !== null) {
              afterDispute = now;
            }
            before = now;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a history ending with every job and event delivered settles the invoice consistently with Stripe', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(intentScript, { maxLength: 6 }),
        fc.array(action, { maxLength: 25 }),
        fc.boolean(),
        async (scripts, actions, paidFirst) => {
          const w = await newWorld(scripts, paidFirst);
          for (const a of actions) {
            await perform(w, a);
            harvestNewIntents(w);
          }
          // Drain: deliver every event Stripe emitted, in order, twice.
          for (const command of [...w.pool, ...w.pool]) {
            expectOk(
              await handleStripeCommand({
                ctx: w.t.ctx,
                input: {
                  organizationId: w.t.organization.id,
                  connectionId: w.connectionId,
                  providerEventId: 'e',
                  occurredAt: w.t.clock.now(),
                  command,
                },
              }),
            );
          }
          const now = snapshot(w);
          // Our books agree with Stripe about money taken for this invoice.
          expect(now.succeededPaymentIds.length).toBe(now.charges);
          if (now.charges === 1 && now.invoice.status === 'finalized') {
            expect(now.invoice.payment.status).toBe('succeeded');
            expect(now.invoice.totalPaidAmountCents).toBe(now.chargedCents);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on a paid invoice: refunds stay within what was paid and stop entirely once a dispute is lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(afterPaymentAction, { minLength: 1, maxLength: 30 }), async (actions) => {
        const w = await newWorld([], true);
        let afterDispute: ReturnType<typeof snapshot> | null = null;
        for (const a of actions) {
          await perform(w, a);
          harvestNewIntents(w);
          const now = snapshot(w);
          expect(now.charges).toBe(1);
          expect(now.liveRefundCents).toBeLessThanOrEqual(now.invoice.totalPaidAmountCents);
          expect(now.gatewayRefundedCents).toBeLessThanOrEqual(now.chargedCents);
          if (afterDispute) {
            expect(now.gatewayRefunds).toBe(afterDispute.gatewayRefunds);
            expect(now.invoice.status).toBe('finalized');
            expect(now.payments.length).toBe(afterDispute.payments.length);
          } else if (now.invoice.paymentDisputeLostAt !== null) {
            afterDispute = now;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
