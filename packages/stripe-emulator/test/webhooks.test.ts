import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_VERSION, signatureHeader } from '../src/index.js';
import { customerWithCard, type Receiver, startReceiver, useEmulator, verified } from './harness.js';

const h = useEmulator();
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await h.controls.waitForDeliveries();
  await receiver.close();
});

async function endpoint(stripe: Stripe, events: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = ['*']) {
  const created = await stripe.webhookEndpoints.create({
    url: receiver.url,
    enabled_events: events,
    api_version: Stripe.API_VERSION,
  });
  return { endpoint: created, secret: created.secret as string };
}

describe('webhook endpoints', () => {
  it('shows the whsec_ secret only in the create response', async () => {
    const stripe = h.client();
    const { endpoint: created, secret } = await endpoint(stripe, ['payment_intent.succeeded']);
    expect(secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ status: 'enabled', api_version: API_VERSION, url: receiver.url });
    const fetched = await stripe.webhookEndpoints.retrieve(created.id);
    expect(fetched.secret).toBeUndefined();
    const updated = await stripe.webhookEndpoints.update(created.id, {
      disabled: true,
      enabled_events: ['*'],
    });
    expect(updated).toMatchObject({ status: 'disabled', enabled_events: ['*'] });
    expect(updated.secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.list()).data).toHaveLength(1);
    expect(await stripe.webhookEndpoints.del(created.id)).toMatchObject({ deleted: true });
    const bad = await stripe.webhookEndpoints
      .create({ url: 'ftp://x', enabled_events: ['*'] })
      .catch((e: unknown) => e);
    expect((bad as Stripe.errors.StripeError).code).toBe('url_invalid');
  });
});

describe('delivery', () => {
  it('delivers matching events, signed so that constructEvent verifies them', async () => {
    const stripe = h.client();
    const { secret } = await endpoint(stripe, ['payment_intent.succeeded', 'charge.succeeded']);
    const { customer, pm } = await customerWithCard(stripe);
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    await h.controls.waitForDeliveries();
    const events = verified(stripe, receiver, secret);
    expect(events.map((e) => e.type)).toEqual(['charge.succeeded', 'payment_intent.succeeded']);
    const last = events[1]!;
    expect(last).toMatchObject({ object: 'event', api_version: API_VERSION, livemode: false });
    expect(last.request?.id).toBe(pi.lastResponse.requestId);
    if (last.type !== 'payment_intent.succeeded') throw new Error('narrowing');
    expect(last.data.object.id).toBe(pi.id);
    expect(last.data.object.status).toBe('succeeded');
    expect(receiver.received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const { body, signature } = receiver.received[0]!;
    const t = Number(/t=(\d+)/.exec(signature)![1]);
    expect(signature).toBe(stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t }));
    expect(signatureHeader(body, secret, t)).toBe(signature);
    expect(() => stripe.webhooks.constructEvent(body, signature, 'whsec_wrong')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    const retrieved = await stripe.events.retrieve(last.id);
    expect(retrieved.pending_webhooks).toBe(0);
  });

  it('signs with wall-clock time even when the emulator clock moved', async () => {
    const stripe = h.client();
    const { secret } = await endpoint(stripe, ['customer.created']);
    await h.controls.advanceClock(7 * 24 * 3600);
    await stripe.customers.create({ email: 'late@example.com' });
    await h.controls.waitForDeliveries();
    const [event] = verified(stripe, receiver, secret);
    expect(event!.created).toBeGreaterThan(Math.floor(Date.now() / 1000) + 6 * 24 * 3600);
  });

  it('retries non-2xx answers until one succeeds', async () => {
    const stripe = h.client();
    const { endpoint: created, secret } = await endpoint(stripe, ['customer.created']);
    receiver.failNext(500, 503);
    await stripe.customers.create({ email: 'retry@example.com' });
    // By endpoint, not URL: a receiver port can be reused from an earlier test.
    const deliveries = (await h.controls.waitForDeliveries()).filter((d) => d.endpointId === created.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.status).toBe('succeeded');
    expect(deliveries[0]!.attempts.map((a) => a.statusCode)).toEqual([500, 503, 200]);
    const events = verified(stripe, receiver, secret);
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events).toHaveLength(3);
  });

  it('gives up after the configured attempts', async () => {
    const stripe = h.client();
    const { endpoint: created } = await endpoint(stripe, ['customer.created']);
    receiver.failNext(500, 500, 500);
    await stripe.customers.create({ email: 'never@example.com' });
    // By endpoint, not URL: a receiver port can be reused from an earlier test.
    const [delivery] = (await h.controls.waitForDeliveries()).filter((d) => d.endpointId === created.id);
    expect(delivery!.status).toBe('failed');
    expect(delivery!.attempts).toHaveLength(3);
    const replay = await h.controls.replayDelivery(delivery!.id);
    expect(replay.replayOf).toBe(delivery!.id);
    const after = (await h.controls.waitForDeliveries()).find((d) => d.id === replay.id);
    expect(after!.status).toBe('succeeded');
  });

  it('can duplicate deliveries and release held ones in reverse order', async () => {
    const stripe = h.client();
    const { secret } = await endpoint(stripe, ['customer.created', 'customer.updated']);
    await h.controls.duplicateNext(1);
    const c = await stripe.customers.create({ email: 'dup@example.com' });
    await h.controls.waitForDeliveries();
    const dup = verified(stripe, receiver, secret);
    expect(dup.map((e) => e.type)).toEqual(['customer.created', 'customer.created']);
    expect(dup[0]!.id).toBe(dup[1]!.id);

    receiver.received.length = 0;
    await h.controls.holdDeliveries();
    await stripe.customers.update(c.id, { name: 'First' });
    await stripe.customers.update(c.id, { name: 'Second' });
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    expect((await h.controls.deliveries()).filter((d) => d.status === 'held')).toHaveLength(2);
    expect(await h.controls.releaseDeliveries({ order: 'reverse' })).toBe(2);
    await h.controls.waitForDeliveries();
    const names = verified(stripe, receiver, secret).map((e) => (e.data.object as Stripe.Customer).name);
    expect(names).toEqual(['Second', 'First']);
  });

  it('does not deliver one account’s events to another account’s endpoint', async () => {
    const a = h.client();
    const b = h.client();
    await endpoint(a, ['customer.created']);
    await b.customers.create({ email: 'b@example.com' });
    await h.controls.waitForDeliveries();
    expect(receiver.received).toHaveLength(0);
    expect((await a.events.list()).data).toHaveLength(0);
    expect((await b.events.list()).data.map((e) => e.type)).toEqual(['customer.created']);
  });
});
