/**
 * A payment request whose charge reached Stripe but whose answer was never committed (the worker
 * died between the PaymentIntent and the commit, its job and Stripe's webhooks lost too): the
 * reconciliation sweep finds the attempt and settles the request and every invoice, with one
 * charge at Stripe. Real worker, webhooks app, PostgreSQL and emulator over HTTP.
 */
import {
  collectPaymentRequest,
  createPaymentRequest,
  generateCheckoutLink,
  type PaymentGateway,
  type PaymentGatewayFactory,
  type UnitOfWork,
} from '@payrail/domain';
import { RECONCILE_SWEEP_QUEUE } from '@payrail/persistence';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeCheckout,
  customerWithMethod,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startWorkerSystem,
} from './harness.js';

let system: System;
const SWEEP_NOW = {
  reconcile: {
    queue: RECONCILE_SWEEP_QUEUE,
    cron: '0 0 1 1 *',
    // Every in-flight payment counts as stale, so the sweep picks it up at once.
    olderThanMs: 0,
    maxIntervalMs: 60_000,
    batchSize: 50,
    inboxRedriveAfterMs: 2 * 60 * 60_000,
    exhaustedJobsRetryAfterMs: 30 * 60_000,
  },
};

beforeAll(async () => {
  system = await startWorkerSystem({ worker: SWEEP_NOW });
});
afterAll(() => system?.stop());

/** Stripe is called for real; the process dies before anything of its answer is stored. */
function dyingAfterStripe(real: PaymentGatewayFactory): PaymentGatewayFactory {
  return {
    forConnection(credentials) {
      const gateway = real.forConnection(credentials);
      return new Proxy(gateway, {
        get(target, property, receiver) {
          if (property === 'createPaymentIntent') {
            return async (input: Parameters<PaymentGateway['createPaymentIntent']>[0]) => {
              await target.createPaymentIntent(input);
              throw new Error('worker killed after Stripe answered');
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

describe('payment requests after a crash', () => {
  it('are found by the reconciliation sweep and settle every invoice with one charge', async () => {
    const org = system.organizationId;
    const customer = await customerWithMethod(system, 'cust-pr-crash', {
      currency: 'EUR',
      instrument: 'card_charge_customer_fail',
      methods: ['card'],
    });
    const a = await oneOffInvoice(system, 'cust-pr-crash', 2_000, 'EUR');
    const b = await oneOffInvoice(system, 'cust-pr-crash', 3_000, 'EUR');
    await system.settle();
    for (const invoice of [a, b])
      expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('failed');
    // The customer saves a card that works.
    const link = await generateCheckoutLink({
      ctx: system.ctx,
      input: { organizationId: org, customer: { id: customer.id }, announce: false },
    });
    if (!link.ok) throw new Error(link.error.message);
    const sessionId = /cs_[A-Za-z0-9_]+/.exec(link.value.url)?.[0] ?? '';
    await completeCheckout(system, sessionId, 'card_visa');

    await system.controls.holdDeliveries();
    // The request commits, but its job is lost (with the worker that would have run it): only the
    // sweep can find the attempt afterwards.
    const losingItsJob: UnitOfWork = {
      run: (organizationId, fn) =>
        system.ctx.uow.run(organizationId, (tx) =>
          fn({
            ...tx,
            jobs: {
              enqueue: async (job) =>
                job.name === 'payment_request.collect' ? undefined : tx.jobs.enqueue(job),
            },
          }),
        ),
    };
    const created = await createPaymentRequest({
      ctx: { ...system.ctx, uow: losingItsJob },
      input: {
        organizationId: org,
        externalCustomerId: 'cust-pr-crash',
        email: null,
        invoiceIds: [a.id, b.id],
      },
    });
    if (!created.ok) throw new Error(created.error.message);
    const request = created.value;
    expect(request.amountCents).toBe(5_000);

    // Its attempt runs in a process that dies as soon as Stripe has charged.
    const real = new StripeGatewayFactory({ apiBase: system.emulator.url, maxNetworkRetries: 0 });
    await expect(
      collectPaymentRequest({
        ctx: { ...system.ctx, gateways: dyingAfterStripe(real) },
        input: { organizationId: org, paymentRequestId: request.id },
      }),
    ).rejects.toThrow('worker killed');

    const stored = await system.ctx.uow.run(org, (tx) => tx.paymentRequests.findById(request.id));
    const paymentId = stored?.paymentId ?? '';
    const before = await system.ctx.uow.run(org, (tx) => tx.payments.findById(paymentId));
    expect(before).toMatchObject({
      status: 'pending',
      providerPaymentId: null,
      paymentRequestId: request.id,
    });
    const emulatorUrl = new URL(system.emulator.url);
    const stripe = new Stripe('sk_test_payrail_e2e', {
      host: emulatorUrl.hostname,
      port: Number(emulatorUrl.port),
      protocol: 'http',
      telemetry: false,
    });
    const charged = async () =>
      (await stripe.paymentIntents.list({ customer: before?.providerCustomerId ?? '' })).data.filter(
        (pi) => pi.metadata.lago_payable_id === request.id,
      );
    expect((await charged()).map((pi) => [pi.amount, pi.status])).toEqual([[5_000, 'succeeded']]);

    await system.db.queue.enqueue({ name: RECONCILE_SWEEP_QUEUE, payload: {} });
    await system.settle();

    const [intent, ...more] = await charged();
    expect(more).toEqual([]);
    const after = await system.ctx.uow.run(org, (tx) => tx.payments.findById(paymentId));
    expect(after).toMatchObject({ status: 'succeeded', providerPaymentId: intent?.id, amountCents: 5_000 });
    const settled = await system.ctx.uow.run(org, (tx) => tx.paymentRequests.findById(request.id));
    expect(settled).toMatchObject({ paymentStatus: 'succeeded', paymentId });
    expect(await reloadInvoice(system, a.id)).toMatchObject({
      payment: { status: 'succeeded', paymentId },
      totalPaidAmountCents: 2_000,
    });
    expect(await reloadInvoice(system, b.id)).toMatchObject({
      payment: { status: 'succeeded', paymentId },
      totalPaidAmountCents: 3_000,
    });

    // Stripe's late webhooks change nothing, and nothing is announced twice.
    await system.controls.releaseDeliveries();
    await system.settle();
    const outcomes = await query<{ outcome: string }>(
      system,
      `select outcome from $schema.stripe_inbox_events where type = 'payment_intent.succeeded' and payload::text like ?`,
      [`%${request.id}%`],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['payment_unchanged']);
    const announced = await query<{ n: number }>(
      system,
      `select count(*)::int as n from $schema.webhook_events
        where webhook_type = 'payment_request.payment_status_updated' and payload->>'lago_payment_request_id' = ?`,
      [request.id],
    );
    expect(announced[0]?.n).toBe(1);
    expect((await system.ctx.uow.run(org, (tx) => tx.paymentRequests.findById(request.id)))?.version).toBe(
      settled?.version,
    );
  });
});
