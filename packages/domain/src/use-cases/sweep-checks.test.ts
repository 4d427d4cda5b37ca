import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenConnection,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { checkLostDisputes, DISPUTE_CHECK_OVERLAP_MS } from './check-lost-disputes.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { handleStripeCommand } from './handle-stripe-command.js';
import { scheduleDisputeChecks } from './schedule-dispute-checks.js';
import { scheduleWaitingCollections } from './schedule-waiting-collections.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function paidInvoice(t: TestContext) {
  const { connection } = await givenLinkedCustomer(t);
  await givenAddOn(t);
  const invoice = await givenInvoice(t);
  const org = t.organization.id;
  const collected = expectOk(
    await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
  );
  if (collected.outcome !== 'attempted') throw new Error(collected.outcome);
  return { connection, invoice, org, payment: collected.payment };
}

describe('checkLostDisputes', () => {
  it('applies a dispute lost without its webhook once, and a later webhook changes nothing', async () => {
    const t = createTestContext();
    const { connection, invoice, org, payment } = await paidInvoice(t);
    t.clock.advance(3 * HOUR);
    const closedAt = t.clock.now();
    t.gateway.loseDispute(payment.providerPaymentId ?? '', closedAt, 'fraudulent');
    t.clock.advance(30 * MINUTE);

    const input = { organizationId: org, connectionId: connection.id };
    expect(expectOk(await checkLostDisputes({ ctx: t.ctx, input }))).toEqual({ read: 1, applied: 1 });
    expect(t.store.invoices.get(invoice.id)?.paymentDisputeLostAt).toEqual(closedAt);
    expect(t.store.eventsOfType('invoice.payment_dispute_lost').map((e) => e.data)).toEqual([
      { lago_invoice_id: invoice.id, provider_error: 'fraudulent' },
    ]);

    // Read again within the overlap: nothing more happens.
    t.clock.advance(10 * MINUTE);
    expect(expectOk(await checkLostDisputes({ ctx: t.ctx, input }))).toEqual({ read: 1, applied: 0 });
    expect(
      expectOk(
        await handleStripeCommand({
          ctx: t.ctx,
          input: {
            organizationId: org,
            connectionId: connection.id,
            providerEventId: 'evt_late',
            occurredAt: t.clock.now(),
            command: {
              kind: 'dispute_closed',
              providerPaymentId: payment.providerPaymentId ?? '',
              result: 'lost',
              reason: 'fraudulent',
              closedAt,
            },
          },
        }),
      ),
    ).toEqual({ result: 'dispute_lost' });
    expect(t.store.eventsOfType('invoice.payment_dispute_lost')).toHaveLength(1);
  });

  it('reads from the connection creation first, then from its last complete check less the overlap', async () => {
    const t = createTestContext();
    const { connection, org } = await paidInvoice(t);
    const input = { organizationId: org, connectionId: connection.id };
    const since = () =>
      t.gateway.calls
        .filter((c) => c.method === 'listLostDisputes')
        .map((c) => (c.input as { closedSince: Date }).closedSince.getTime());

    t.clock.advance(5 * HOUR);
    const firstRun = t.clock.now();
    expectOk(await checkLostDisputes({ ctx: t.ctx, input }));
    t.clock.advance(2 * HOUR);
    t.gateway.failNext('listLostDisputes', { code: 'retryable', reason: 'server_error', message: '500' });
    const failed = await checkLostDisputes({ ctx: t.ctx, input });
    expect(failed).toMatchObject({ ok: false, error: { retryable: true } });
    expectOk(await checkLostDisputes({ ctx: t.ctx, input }));

    // The failed run did not move the cursor: the third read starts where the second did.
    expect(since()).toEqual([
      connection.createdAt.getTime() - DISPUTE_CHECK_OVERLAP_MS,
      firstRun.getTime() - DISPUTE_CHECK_OVERLAP_MS,
      firstRun.getTime() - DISPUTE_CHECK_OVERLAP_MS,
    ]);
  });

  it('skips disputes on payments Payrail did not make', async () => {
    const t = createTestContext();
    const { connection, org } = await paidInvoice(t);
    const foreign = t.gateway.seedCustomer('card');
    t.gateway.intents.set('pi_foreign', {
      outcome: {
        providerPaymentId: 'pi_foreign',
        providerStatus: 'succeeded',
        amountCents: 100,
        currency: 'EUR' as never,
        status: 'succeeded',
      },
      idempotencyKey: 'other-system',
      metadata: {},
      providerCustomerId: foreign,
      providerPaymentMethodId: 'pm_other',
      allowedMethods: ['card'],
      createdAt: t.clock.now(),
    });
    t.gateway.loseDispute('pi_foreign', t.clock.now());
    expect(
      expectOk(
        await checkLostDisputes({ ctx: t.ctx, input: { organizationId: org, connectionId: connection.id } }),
      ),
    ).toEqual({ read: 1, applied: 0 });
    expect(t.store.eventsOfType('invoice.payment_dispute_lost')).toHaveLength(0);
  });
});

describe('scheduleDisputeChecks', () => {
  it('queues each connection once per interval, deduped per connection', async () => {
    const t = createTestContext();
    const first = await givenConnection(t, 'stripe_a');
    const second = await givenConnection(t, 'stripe_b');
    const schedule = () => scheduleDisputeChecks({ ctx: t.ctx, input: { everyMs: HOUR, limit: 10 } });

    expect(expectOk(await schedule())).toEqual({ scheduled: 2 });
    expect(t.store.jobsNamed('stripe.check_disputes').map((j) => [j.payload, j.dedupeKey])).toEqual([
      [{ organizationId: t.organization.id, connectionId: first.id }, `stripe.check_disputes:${first.id}`],
      [{ organizationId: t.organization.id, connectionId: second.id }, `stripe.check_disputes:${second.id}`],
    ]);
    t.clock.advance(HOUR - 1);
    expect(expectOk(await schedule())).toEqual({ scheduled: 0 });
    t.clock.advance(1);
    expect(expectOk(await scheduleDisputeChecks({ ctx: t.ctx, input: { everyMs: HOUR, limit: 1 } }))).toEqual(
      { scheduled: 1 },
    );
  });
});

describe('scheduleWaitingCollections', () => {
  const schedule = (t: TestContext, limit = 10) =>
    scheduleWaitingCollections({
      ctx: t.ctx,
      input: { firstCheckAfterMs: 15 * MINUTE, maxIntervalMs: 24 * HOUR, limit },
    });

  async function waitingInvoice(t: TestContext) {
    const linked = await givenLinkedCustomer(t, { methodType: null });
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    const org = t.organization.id;
    const collected = expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: invoice.id } }),
    );
    expect(collected).toMatchObject({ outcome: 'waiting', reason: 'no_payment_method' });
    t.store.takeJobs();
    return { ...linked, invoice, org };
  }

  it('collects an invoice whose collection job was lost (pending, no reason, nothing in flight)', async () => {
    const t = createTestContext();
    await givenLinkedCustomer(t);
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    // The job queued with the invoice never ran (a crash or an outage took it).
    t.store.takeJobs();
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({ status: 'pending', waitingFor: null });
    t.clock.advance(10 * MINUTE);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 0 });
    t.clock.advance(6 * MINUTE);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
    expect(t.store.takeJobs()).toEqual([
      expect.objectContaining({
        name: 'payment.collect',
        payload: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    ]);
  });

  it('looks at the provider again with backoff up to a day, and charges once a method was saved there', async () => {
    const t = createTestContext();
    const { invoice, org, providerCustomerId } = await waitingInvoice(t);
    const collect = async () => {
      const jobs = t.store.takeJobs();
      for (const job of jobs) {
        if (job.name !== 'payment.collect') continue;
        expectOk(await collectInvoicePayment({ ctx: t.ctx, input: job.payload }));
      }
      return jobs.map((j) => j.name);
    };

    t.clock.advance(15 * MINUTE - 1);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 0 });
    t.clock.advance(1);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
    expect(t.store.jobsNamed('payment.collect').at(-1)).toEqual({
      name: 'payment.collect',
      payload: { organizationId: org, invoiceId: invoice.id },
      dedupeKey: `payment.collect:${invoice.id}`,
    });
    const calls = t.gateway.calls.length;
    expect(await collect()).toEqual(['payment.collect']);
    // Still no method: two provider reads, the invoice keeps waiting.
    expect(t.gateway.calls.slice(calls).map((c) => c.method)).toEqual([
      'getDefaultPaymentMethod',
      'listPaymentMethods',
    ]);

    // Then 15 min, 30 min, 1 h, … up to 24 h between looks.
    const waits = [15, 30, 60, 120, 240, 480, 960, 1440, 1440].map((m) => m * MINUTE);
    for (const wait of waits) {
      t.clock.advance(wait - 1);
      expect(expectOk(await schedule(t))).toEqual({ scheduled: 0 });
      t.clock.advance(1);
      expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
      await collect();
    }
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({ waitingFor: 'no_payment_method' });

    // The customer saved a card at Stripe; its webhook never came.
    t.gateway.addPaymentMethod(providerCustomerId, 'card');
    t.clock.advance(24 * HOUR);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
    await collect();
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('succeeded');
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
    t.clock.advance(48 * HOUR);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 0 });
  });

  it('queues one invoice per customer (the oldest) and restarts the backoff when another starts waiting', async () => {
    const t = createTestContext();
    const { invoice, org } = await waitingInvoice(t);
    t.clock.advance(15 * MINUTE);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
    t.store.takeJobs();
    t.clock.advance(HOUR);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
    t.store.takeJobs();

    // A second invoice starts waiting: the next look is 15 minutes after it, not hours later.
    t.clock.advance(MINUTE);
    const second = await givenInvoice(t);
    expectOk(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: org, invoiceId: second.id } }),
    );
    t.store.takeJobs();
    t.clock.advance(15 * MINUTE);
    expect(expectOk(await schedule(t))).toEqual({ scheduled: 1 });
    expect(t.store.takeJobs().map((j) => j.payload)).toEqual([
      { organizationId: org, invoiceId: invoice.id },
    ]);
  });

  it('keeps organizations fair and the run within its limit', async () => {
    const t = createTestContext();
    const connection = await givenConnection(t);
    for (const externalId of ['cust_a', 'cust_b', 'cust_c']) {
      await givenLinkedCustomer(t, { externalId, methodType: null, connection });
    }
    await givenAddOn(t);
    for (const externalCustomerId of ['cust_a', 'cust_b', 'cust_c']) {
      const invoice = await givenInvoice(t, { externalCustomerId });
      expectOk(
        await collectInvoicePayment({
          ctx: t.ctx,
          input: { organizationId: t.organization.id, invoiceId: invoice.id },
        }),
      );
    }
    t.store.takeJobs();
    t.clock.advance(15 * MINUTE);
    expect(expectOk(await schedule(t, 2))).toEqual({ scheduled: 1 });
    expect(expectOk(await schedule(t, 8))).toEqual({ scheduled: 2 });
    expect(expectOk(await schedule(t, 8))).toEqual({ scheduled: 0 });
  });
});
