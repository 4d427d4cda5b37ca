import { describe, expect, it } from 'vitest';
import { MemoryConnections, MemoryInbox } from '../test/memory.js';
import { sign, stripeEvent } from '../test/signing.js';
import { createWebhooksApp } from './app.js';

const ORG = '0b6b1c52-6f0e-4f57-9a43-8f1f3c1f2a01';
const OTHER_ORG = '7d3f0a11-2b4c-4d5e-8f60-718293a4b5c6';
const SECRET = 'whsec_test_secret_one';

function setup(now = () => new Date()) {
  const connections = new MemoryConnections();
  connections.add(ORG, 'stripe_main', 'conn-1', SECRET);
  const inbox = new MemoryInbox();
  const app = createWebhooksApp({ connections, inbox, now });
  return { app, inbox, connections };
}

function post(
  app: ReturnType<typeof setup>['app'],
  body: string,
  headers: Record<string, string>,
  path = `/webhooks/stripe/${ORG}?code=stripe_main`,
) {
  return app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('webhooks app: happy path', () => {
  it('answers health', async () => {
    const res = await setup().app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('stores a signed event with its connection, type and creation time', async () => {
    const { app, inbox } = setup();
    const event = stripeEvent('setup_intent.succeeded');
    const body = JSON.stringify(event);
    const res = await post(app, body, { 'stripe-signature': sign(body, SECRET) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, duplicate: false });
    expect(inbox.events).toEqual([
      {
        organizationId: ORG,
        connectionId: 'conn-1',
        stripeEventId: event.id,
        type: 'setup_intent.succeeded',
        createdAt: new Date(event.created * 1000),
        payload: body,
      },
    ]);
  });

  it('answers a redelivered event 200 and stores it once', async () => {
    const { app, inbox } = setup();
    const body = JSON.stringify(stripeEvent());
    const first = await post(app, body, { 'stripe-signature': sign(body, SECRET) });
    const again = await post(app, body, { 'stripe-signature': sign(body, SECRET) });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(inbox.events).toHaveLength(1);
  });

  it('accepts a header with a fake v0 and several v1 signatures (secret roll)', async () => {
    const { app, inbox } = setup();
    const body = JSON.stringify(stripeEvent());
    const good = sign(body, SECRET);
    const old = sign(body, 'whsec_previous_secret').split(',')[1];
    const res = await post(app, body, { 'stripe-signature': `${good},${old},v0=deadbeef` });
    expect(res.status).toBe(200);
    expect(inbox.events).toHaveLength(1);
  });

  it('reads the connection once while the secret is cached', async () => {
    const { app, connections } = setup();
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify(stripeEvent());
      expect((await post(app, body, { 'stripe-signature': sign(body, SECRET) })).status).toBe(200);
    }
    expect(connections.lookups).toBe(1);
  });

  it('picks up a replaced secret at once instead of rejecting until the cache expires', async () => {
    const { app, connections, inbox } = setup();
    const first = JSON.stringify(stripeEvent());
    expect((await post(app, first, { 'stripe-signature': sign(first, SECRET) })).status).toBe(200);
    connections.add(ORG, 'stripe_main', 'conn-2', 'whsec_rotated');
    const second = JSON.stringify(stripeEvent());
    expect((await post(app, second, { 'stripe-signature': sign(second, 'whsec_rotated') })).status).toBe(200);
    expect(inbox.events.map((e) => e.connectionId)).toEqual(['conn-1', 'conn-2']);
  });
});

describe('webhooks app: rejected requests store nothing', () => {
  it.each([
    ['an unknown organization', `/webhooks/stripe/${OTHER_ORG}?code=stripe_main`],
    ['an unknown code', `/webhooks/stripe/${ORG}?code=other`],
    ['no code', `/webhooks/stripe/${ORG}`],
    ['an organization id that is not a UUID', '/webhooks/stripe/not-a-uuid?code=stripe_main'],
  ])('400 for %s', async (_, path) => {
    const { app, inbox } = setup();
    const body = JSON.stringify(stripeEvent());
    const res = await post(app, body, { 'stripe-signature': sign(body, SECRET) }, path);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, error: 'BadRequest', code: 'unknown_connection' });
    expect(inbox.events).toHaveLength(0);
  });

  it('400 for a body that is signed but is not an event', async () => {
    const { app, inbox } = setup();
    for (const body of [
      '{"hello":"world"}',
      'not json',
      '[]',
      JSON.stringify({ ...stripeEvent(), type: 42 }),
    ]) {
      const res = await post(app, body, { 'stripe-signature': sign(body, SECRET) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_event' });
    }
    expect(inbox.events).toHaveLength(0);
  });
});

describe('webhooks app: security', () => {
  it('400 without a signature header', async () => {
    const { app, inbox } = setup();
    const res = await post(app, JSON.stringify(stripeEvent()), {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_signature' });
    expect(inbox.events).toHaveLength(0);
  });

  it('400 for a signature made with another secret (forged)', async () => {
    const { app, inbox } = setup();
    const body = JSON.stringify(stripeEvent());
    const res = await post(app, body, { 'stripe-signature': sign(body, 'whsec_attacker') });
    expect(res.status).toBe(400);
    expect(inbox.events).toHaveLength(0);
  });

  it('400 for a body changed after signing (tampered)', async () => {
    const { app, inbox } = setup();
    const event = stripeEvent();
    const signature = sign(JSON.stringify(event), SECRET);
    const tampered = JSON.stringify({ ...event, type: 'charge.dispute.closed' });
    expect((await post(app, tampered, { 'stripe-signature': signature })).status).toBe(400);
    const reformatted = JSON.stringify(event, null, 2);
    expect((await post(app, reformatted, { 'stripe-signature': signature })).status).toBe(400);
    expect(inbox.events).toHaveLength(0);
  });

  it('400 for a valid signature older than 300 s (replayed), 200 just inside the window', async () => {
    const now = new Date();
    const { app, inbox } = setup(() => now);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const stale = JSON.stringify(stripeEvent());
    const res = await post(app, stale, { 'stripe-signature': sign(stale, SECRET, nowSeconds - 301) });
    expect(res.status).toBe(400);
    expect(inbox.events).toHaveLength(0);
    const fresh = JSON.stringify(stripeEvent());
    expect(
      (await post(app, fresh, { 'stripe-signature': sign(fresh, SECRET, nowSeconds - 299) })).status,
    ).toBe(200);
  });

  it('400 for a malformed signature header', async () => {
    const { app, inbox } = setup();
    const body = JSON.stringify(stripeEvent());
    for (const header of [
      'garbage',
      't=abc,v1=00',
      `t=${Math.floor(Date.now() / 1000)}`,
      `v1=${'a'.repeat(64)}`,
    ]) {
      expect((await post(app, body, { 'stripe-signature': header })).status).toBe(400);
    }
    expect(inbox.events).toHaveLength(0);
  });

  it('never echoes the secret or the signature in the error body', async () => {
    const { app } = setup();
    const body = JSON.stringify(stripeEvent());
    const signature = sign(body, 'whsec_attacker');
    const res = await post(app, body, { 'stripe-signature': signature });
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(signature.split('v1=')[1]);
  });

  it('413 for a body above the limit, nothing stored', async () => {
    const connections = new MemoryConnections();
    connections.add(ORG, 'stripe_main', 'conn-1', SECRET);
    const inbox = new MemoryInbox();
    const app = createWebhooksApp({ connections, inbox, maxBodyBytes: 100 });
    const body = JSON.stringify(stripeEvent());
    const res = await post(app, body, { 'stripe-signature': sign(body, SECRET) });
    expect(res.status).toBe(413);
    expect(inbox.events).toHaveLength(0);
  });

  it('503 when the inbox cannot store, so Stripe delivers again', async () => {
    const connections = new MemoryConnections();
    connections.add(ORG, 'stripe_main', 'conn-1', SECRET);
    const app = createWebhooksApp({
      connections,
      inbox: { insert: () => Promise.reject(new Error('connection refused')) },
    });
    const body = JSON.stringify(stripeEvent());
    const res = await post(app, body, { 'stripe-signature': sign(body, SECRET) });
    expect(res.status).toBe(503);
  });
});
