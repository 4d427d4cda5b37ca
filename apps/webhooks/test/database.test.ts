import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { connectStripe, type StripeConnection } from '@payrail/domain';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhooksApp } from '../src/app.js';
import { composeWebhooks } from '../src/compose.js';
import { sign, stripeEvent } from './signing.js';

let db: TestDatabase;
let emulator: RunningEmulator;
let server: { url: string; close(): Promise<void> };
let organizationId: string;
let connection: StripeConnection;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'webhooks' });
  emulator = await startEmulator({ port: 0 });
  const app = createWebhooksApp(composeWebhooks({ db }));
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => s.close(() => done())),
      }),
    );
  });
  organizationId = (await db.organizations.create({ name: 'Acme', documentNumberPrefix: 'ACM' })).id;
  const connected = await connectStripe({
    ctx: {
      uow: db.unitOfWork,
      gateways: new StripeGatewayFactory({ apiBase: emulator.url }),
      clock: { now: () => new Date() },
      ids: { next: () => crypto.randomUUID() },
      settings: { publicBaseUrl: server.url },
    },
    input: { organizationId, name: 'Stripe', code: 'stripe_main', secretKey: 'sk_test_webhooks_db' },
  });
  if (!connected.ok) throw new Error(connected.error.message);
  connection = connected.value;
});
afterAll(async () => {
  await server?.close();
  await emulator?.stop();
  await db?.dispose();
});

const rows = async () =>
  (await db.orm.em
    .fork()
    .execute(
      `select stripe_event_id, connection_id, type, payload from "${db.schema}".stripe_inbox_events order by received_at`,
    )) as {
    stripe_event_id: string;
    connection_id: string;
    type: string;
    payload: Record<string, unknown>;
  }[];

function post(body: string, signature: string, path = `/webhooks/stripe/${organizationId}?code=stripe_main`) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
}

describe('webhooks app on the database', () => {
  it('stores a verified event with its processing job, once', async () => {
    const secret = connection.webhookEndpoint.signingSecret.reveal();
    const event = stripeEvent('charge.dispute.closed');
    const body = JSON.stringify(event);
    expect((await post(body, sign(body, secret))).status).toBe(200);
    expect((await post(body, sign(body, secret))).status).toBe(200);

    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      stripe_event_id: event.id,
      connection_id: connection.id,
      type: 'charge.dispute.closed',
      payload: event,
    });
    expect(await db.queue.pendingCount(['stripe.process_event'])).toBe(1);
  });

  it('answers 400 and stores nothing for an unknown organization, code or secret', async () => {
    const before = (await rows()).length;
    const body = JSON.stringify(stripeEvent());
    const secret = connection.webhookEndpoint.signingSecret.reveal();
    const otherOrg = '00000000-0000-4000-8000-000000000000';
    expect(
      (await post(body, sign(body, secret), `/webhooks/stripe/${otherOrg}?code=stripe_main`)).status,
    ).toBe(400);
    expect(
      (await post(body, sign(body, secret), `/webhooks/stripe/${organizationId}?code=nope`)).status,
    ).toBe(400);
    expect((await post(body, sign(body, 'whsec_wrong'))).status).toBe(400);
    expect((await rows()).length).toBe(before);
    expect(await db.queue.pendingCount(['stripe.process_event'])).toBe(1);
  });
});
