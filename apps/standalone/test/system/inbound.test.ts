import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
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
let stripe: Stripe;

beforeAll(async () => {
  system = await startWorkerSystem();
  const url = new URL(system.emulator.url);
  stripe = new Stripe('sk_test_payrail_e2e', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 0,
  });
});
afterAll(() => system?.stop());

const inboxCount = async () =>
  (await query<{ n: number }>(system, 'select count(*)::int as n from $schema.stripe_inbox_events'))[0]?.n ??
  0;

async function outgoing(type: string, key: string, id: string): Promise<number> {
  const rows = await query<{ n: number }>(
    system,
    `select count(*)::int as n from $schema.webhook_events where webhook_type = ? and payload->>'${key}' = ?`,
    [type, id],
  );
  return rows[0]?.n ?? 0;
}

async function outcomesOf(eventIds: readonly string[]) {
  const rows = await query<{ stripe_event_id: string; type: string; outcome: string | null }>(
    system,
    `select stripe_event_id, type, outcome from $schema.stripe_inbox_events
      where stripe_event_id in (${eventIds.map(() => '?').join(', ')})`,
    [...eventIds],
  );
  return rows;
}

describe('inbound Stripe events, delivered by the emulator to the running webhooks app', () => {
  it('charges once however often the events are delivered or replayed', async () => {
    await customerWithMethod(system, 'cust-dup', {
      currency: 'USD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    const before = (await system.controls.deliveries()).length;
    await system.controls.duplicateNext(20);
    const invoice = await oneOffInvoice(system, 'cust-dup', 2_500, 'USD');
    await system.settle();
    const deliveries = (await system.controls.deliveries()).slice(before);
    for (const d of deliveries) await system.controls.replayDelivery(d.id);
    await system.settle();

    const all = (await system.controls.deliveries()).slice(before);
    const eventIds = [...new Set(all.map((d) => d.eventId))];
    expect(all.length).toBeGreaterThanOrEqual(eventIds.length * 3);
    expect(all.every((d) => d.status === 'succeeded')).toBe(true);
    const rows = await outcomesOf(eventIds);
    expect(rows).toHaveLength(eventIds.length);
    expect(rows.map((r) => r.type)).toContain('payment_intent.succeeded');
    expect(rows.every((r) => r.outcome !== null && !r.outcome.startsWith('parked'))).toBe(true);

    const after = await reloadInvoice(system, invoice.id);
    expect(after.payment.status).toBe('succeeded');
    expect(after.totalPaidAmountCents).toBe(2_500);
    const payments = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.payments.listByInvoice(invoice.id),
    );
    expect(payments.map((p) => p.status)).toEqual(['succeeded']);
    const intents = await stripe.paymentIntents.list({ limit: 100 });
    expect(intents.data.filter((pi) => pi.metadata.lago_invoice_id === invoice.id)).toHaveLength(1);
    expect(await outgoing('invoice.payment_status_updated', 'lago_invoice_id', invoice.id)).toBe(1);
  });

  it('never moves a payment backwards when events arrive out of order', async () => {
    await customerWithMethod(system, 'cust-sepa', {
      currency: 'EUR',
      instrument: 'sepa_success',
      methods: ['sepa_debit'],
    });
    const before = (await system.controls.deliveries()).length;
    await system.controls.holdDeliveries();
    const invoice = await oneOffInvoice(system, 'cust-sepa', 4_200, 'EUR');
    await system.settle();
    expect((await reloadInvoice(system, invoice.id)).payment.status).not.toBe('succeeded');
    await system.controls.advanceClock(3_600);
    expect(await system.controls.releaseDeliveries({ order: 'reverse' })).toBeGreaterThanOrEqual(2);
    await system.settle();

    const delivered = (await system.controls.deliveries()).slice(before);
    const arrival = await query<{ type: string }>(
      system,
      `select type from $schema.stripe_inbox_events where type like 'payment_intent.%'
         and stripe_event_id in (${delivered.map(() => '?').join(', ')}) order by received_at`,
      delivered.map((d) => d.eventId),
    );
    expect(arrival.map((r) => r.type)).toEqual(['payment_intent.succeeded', 'payment_intent.processing']);
    const rows = await outcomesOf(delivered.map((d) => d.eventId));
    expect(rows.find((r) => r.type === 'payment_intent.processing')?.outcome).toBe('payment_unchanged');

    const after = await reloadInvoice(system, invoice.id);
    expect(after.payment.status).toBe('succeeded');
    const payments = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.payments.listByInvoice(invoice.id),
    );
    expect(payments.map((p) => p.status)).toEqual(['succeeded']);
    expect(await outgoing('invoice.payment_status_updated', 'lago_invoice_id', invoice.id)).toBe(1);
  });

  it('records and ignores events about objects Payrail did not create', async () => {
    const foreign = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await system.settle();
    const rows = await query<{ outcome: string | null; payload: { data: { object: { id: string } } } }>(
      system,
      "select outcome, payload from $schema.stripe_inbox_events where type = 'payment_intent.succeeded'",
    );
    const row = rows.find((r) => r.payload.data.object.id === foreign.id);
    expect(row?.outcome).toBe('ignored:unknown_payment');
  });

  it('retries an event naming one of our payments that does not exist, then parks it with the reason', async () => {
    const early = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { lago_organization_id: system.organizationId, lago_payment_id: randomUUID() },
    });
    await system.settle();
    const rows = await query<{ outcome: string | null; payload: { data: { object: { id: string } } } }>(
      system,
      "select outcome, payload from $schema.stripe_inbox_events where type = 'payment_intent.succeeded'",
    );
    expect(rows.find((r) => r.payload.data.object.id === early.id)?.outcome).toBe(
      'parked: unknown_payment after 3 runs',
    );
  });
});

describe('requests that are not genuine Stripe deliveries', () => {
  const secret = () => system.connection.webhookEndpoint.signingSecret.reveal();
  const url = () => `${system.webhooksUrl}/webhooks/stripe/${system.organizationId}?code=stripe_main`;
  const header = (body: string, key: string, t = Math.floor(Date.now() / 1000)) =>
    stripe.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp: t });
  const post = (body: string, signature: string, target = url()) =>
    fetch(target, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });
  const event = () =>
    JSON.stringify({
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: 'pi_forged', object: 'payment_intent', metadata: {} } },
    });

  it('answers 400 to forged, tampered and replayed requests and stores nothing', async () => {
    const before = await inboxCount();
    const body = event();
    const forged = await post(body, header(body, 'whsec_not_the_secret'));
    const tampered = await post(body.replace('pi_forged', 'pi_tampered'), header(body, secret()));
    const replayed = await post(body, header(body, secret(), Math.floor(Date.now() / 1000) - 301));
    const wrongCode = await post(body, header(body, secret()), url().replace('stripe_main', 'other'));
    const notAnEvent = await post('{"object":"list"}', header('{"object":"list"}', secret()));
    for (const res of [forged, tampered, replayed, wrongCode, notAnEvent]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: 400, error: 'BadRequest' });
    }
    await system.settle();
    expect(await inboxCount()).toBe(before);
  });

  it('stores a byte-identical re-POST within the tolerance once', async () => {
    const before = await inboxCount();
    const body = event();
    const first = await post(body, header(body, secret()));
    const again = await post(body, header(body, secret()));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await system.settle();
    expect(await inboxCount()).toBe(before + 1);
  });
});
