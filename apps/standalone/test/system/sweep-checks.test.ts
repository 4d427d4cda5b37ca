import { startReceiver } from '@payrail/lago-wire/testing';
import { RECONCILE_SWEEP_QUEUE } from '@payrail/persistence';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithMethod,
  linkCustomer,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startWorkerSystem,
} from './harness.js';

let system: System;
let stripe: Stripe;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  // The sweep runs only when a test queues it; every connection and waiting customer is due then.
  system = await startWorkerSystem({
    worker: {
      reconcile: {
        queue: RECONCILE_SWEEP_QUEUE,
        cron: '0 0 1 1 *',
        olderThanMs: 15 * 60_000,
        maxIntervalMs: 6 * 60 * 60_000,
        batchSize: 50,
        inboxRedriveAfterMs: 2 * 60 * 60_000,
        exhaustedJobsRetryAfterMs: 30 * 60_000,
      },
      disputeChecks: { everyMs: 0 },
      waitingCollections: { firstCheckAfterMs: 0, maxIntervalMs: 0 },
    },
  });
  receiver = await startReceiver();
  await system.db.webhookEndpoints.create(system.organizationId, {
    webhookUrl: `${receiver.url}/merchant`,
    signatureAlgo: 'hmac',
    name: null,
    eventTypes: ['invoice.payment_dispute_lost', 'invoice.payment_status_updated'],
  });
  const url = new URL(system.emulator.url);
  stripe = new Stripe('sk_test_payrail_e2e', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 0,
  });
});
afterAll(async () => {
  await system?.stop();
  await receiver?.close();
});

async function sweep(): Promise<void> {
  await system.db.queue.enqueue({ name: RECONCILE_SWEEP_QUEUE, payload: {} });
  await system.settle();
}

const received = (type: string) =>
  receiver.received.map((r) => JSON.parse(r.body)).filter((body) => body.webhook_type === type);

async function heldEventTypes(): Promise<string[]> {
  return (await system.controls.deliveries()).filter((d) => d.status === 'held').map((d) => d.eventType);
}

describe('the sweep learns what a lost webhook never said', () => {
  it('a dispute lost while its charge.dispute.closed never arrives ends lost on the invoice', async () => {
    await customerWithMethod(system, 'cust-silent-dispute', {
      currency: 'USD',
      instrument: 'card_dispute',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-silent-dispute', 5_000, 'USD');
    await system.settle();
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('succeeded');
    const [payment] = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.payments.listByInvoice(invoice.id),
    );
    const [dispute] = (await stripe.disputes.list({ payment_intent: payment?.providerPaymentId ?? '' })).data;
    if (!dispute) throw new Error('the dispute card opened no dispute');

    // From here on Stripe's deliveries never reach us.
    await system.controls.holdDeliveries();
    await system.controls.closeDispute(dispute.id, 'lost');
    await system.settle();
    expect(await heldEventTypes()).toContain('charge.dispute.closed');
    expect((await reloadInvoice(system, invoice.id)).paymentDisputeLostAt).toBeNull();

    await sweep();
    const lost = await reloadInvoice(system, invoice.id);
    expect(lost.paymentDisputeLostAt).not.toBeNull();
    expect(received('invoice.payment_dispute_lost')).toMatchObject([
      {
        object_type: 'payment_dispute_lost',
        organization_id: system.organizationId,
        payment_dispute_lost: { invoice: { lago_id: invoice.id }, provider_error: 'fraudulent' },
      },
    ]);

    // Another sweep and the late webhook change nothing.
    await sweep();
    await system.controls.releaseDeliveries();
    await system.settle();
    const outcomes = await query<{ outcome: string }>(
      system,
      "select outcome from $schema.stripe_inbox_events where type = 'charge.dispute.closed'",
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['dispute_lost']);
    expect((await reloadInvoice(system, invoice.id)).version).toBe(lost.version);
    const announced = await query<{ n: number }>(
      system,
      `select count(*)::int as n from $schema.webhook_events
        where webhook_type = 'invoice.payment_dispute_lost' and payload->>'lago_invoice_id' = ?`,
      [invoice.id],
    );
    expect(announced[0]?.n).toBe(1);
  });

  it('an invoice waiting for a payment method is charged once the customer saved one, though setup_intent.succeeded never arrives', async () => {
    const { customerId, sessionId } = await linkCustomer(system, 'cust-silent-setup', {
      currency: 'EUR',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-silent-setup', 4_200, 'EUR');
    await system.settle();
    expect((await reloadInvoice(system, invoice.id)).payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: 'no_payment_method',
    });

    await system.controls.holdDeliveries();
    const completed = await system.controls.completeCheckout(sessionId, { instrument: 'card_visa' });
    if (!completed.ok) throw new Error(`checkout: ${completed.message}`);
    await system.settle();
    expect(await heldEventTypes()).toContain('setup_intent.succeeded');
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('pending');

    await sweep();
    const paid = await reloadInvoice(system, invoice.id);
    expect(paid.payment.status).toBe('succeeded');
    expect(paid.totalPaidAmountCents).toBe(4_200);
    const methods = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.paymentMethods.listByCustomer(customerId),
    );
    expect(methods).toHaveLength(1);
    expect(
      received('invoice.payment_status_updated').filter((e) => e.invoice?.lago_id === invoice.id),
    ).toHaveLength(1);

    // The late webhook, once it arrives, charges nothing more.
    await system.controls.releaseDeliveries();
    await system.settle();
    await sweep();
    const intents = await stripe.paymentIntents.list({ limit: 100 });
    expect(
      intents.data.filter((pi) => pi.metadata.lago_invoice_id === invoice.id).map((pi) => pi.status),
    ).toEqual(['succeeded']);
  });
});
