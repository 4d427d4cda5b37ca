import { RECONCILE_SWEEP_QUEUE } from '@payrail/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithMethod,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startWorkerSystem,
} from './harness.js';

let system: System;

beforeAll(async () => {
  // Every in-flight payment counts as stale, so the sweep picks it up at once.
  system = await startWorkerSystem({
    worker: {
      reconcile: {
        queue: RECONCILE_SWEEP_QUEUE,
        cron: '0 0 1 1 *',
        olderThanMs: 0,
        maxIntervalMs: 60_000,
        batchSize: 50,
        inboxRedriveAfterMs: 2 * 60 * 60_000,
        exhaustedJobsRetryAfterMs: 30 * 60_000,
      },
    },
  });
});
afterAll(() => system?.stop());

describe('reconciliation', () => {
  it('brings an invoice to paid when the webhook of the successful payment is never delivered', async () => {
    await customerWithMethod(system, 'cust-lost-webhook', {
      currency: 'EUR',
      instrument: 'sepa_success',
      methods: ['sepa_debit'],
    });
    // From here on Stripe's deliveries never reach us.
    await system.controls.holdDeliveries();
    const invoice = await oneOffInvoice(system, 'cust-lost-webhook', 3_100, 'EUR');
    await system.settle();
    const [payment] = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.payments.listByInvoice(invoice.id),
    );
    expect(payment?.status).toBe('processing');
    expect((await reloadInvoice(system, invoice.id)).payment.status).not.toBe('succeeded');

    await system.controls.advanceClock(3_600);
    const held = (await system.controls.deliveries()).filter((d) => d.status === 'held');
    expect(held.map((d) => d.eventType)).toContain('payment_intent.succeeded');

    await system.db.queue.enqueue({ name: RECONCILE_SWEEP_QUEUE, payload: {} });
    await system.settle();

    const after = await reloadInvoice(system, invoice.id);
    expect(after.payment.status).toBe('succeeded');
    expect(after.totalPaidAmountCents).toBe(3_100);
    const payments = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.payments.listByInvoice(invoice.id),
    );
    expect(payments.map((p) => p.status)).toEqual(['succeeded']);
    const inbox = await query<{ n: number }>(
      system,
      "select count(*)::int as n from $schema.stripe_inbox_events where type = 'payment_intent.succeeded'",
    );
    expect(inbox[0]?.n).toBe(0);
    const announced = await query<{ n: number }>(
      system,
      `select count(*)::int as n from $schema.webhook_events
        where webhook_type = 'invoice.payment_status_updated' and payload->>'lago_invoice_id' = ?`,
      [invoice.id],
    );
    expect(announced[0]?.n).toBe(1);

    // The late webhook, once it arrives, changes nothing.
    await system.controls.releaseDeliveries();
    await system.settle();
    const outcomes = await query<{ outcome: string }>(
      system,
      "select outcome from $schema.stripe_inbox_events where type = 'payment_intent.succeeded'",
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['payment_unchanged']);
    expect((await reloadInvoice(system, invoice.id)).version).toBe(after.version);
  });
});
