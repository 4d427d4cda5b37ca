/**
 * An endpoint stored while its target was allowed (or before targets were checked) is checked
 * again at every send: with loopback not allowed, the worker contacts nothing on loopback, and the
 * merchant's delivery log says only why.
 */
import { randomUUID } from 'node:crypto';
import { buildApiDeps, createApiApp } from '@payrail/api';
import { startReceiver } from '@payrail/lago-wire/testing';
import { waitForJobs } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startWorkerSystem } from './harness.js';

let system: System;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let apiKey: string;

/** The API of a deployment that allowed loopback targets when the endpoints were saved. */
function api() {
  return createApiApp(
    buildApiDeps({
      database: system.db,
      gateways: new StripeGatewayFactory({ apiBase: system.emulator.url }),
      signingKey: system.signingKey,
      settings: { publicBaseUrl: system.webhooksUrl },
      allowPrivateWebhookTargets: ['loopback'],
    }),
  );
}

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await api().request(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  // The production default: no private targets; one attempt, so each event's job ends at once.
  system = await startWorkerSystem({ worker: { webhookAttempts: 1 }, allowPrivateWebhookTargets: [] });
  receiver = await startReceiver();
  apiKey = (await system.db.organizations.createApiKey(system.organizationId)).key;
});
afterAll(async () => {
  await receiver?.close();
  await system?.stop();
});

interface Delivery {
  webhook_url: string;
  succeeded: boolean;
  http_status: number | null;
  response_excerpt: string | null;
  error: string | null;
}

describe('outgoing webhooks to targets that are not allowed any more', () => {
  it('contacts nothing on loopback and shows only refused_target in the delivery log', async () => {
    const port = new URL(receiver.url).port;
    const urls = [
      `${receiver.url}/ip`,
      `http://localhost:${port}/name`,
      `http://2130706433:${port}/decimal`,
      `http://[::ffff:127.0.0.1]:${port}/mapped`,
    ];
    for (const url of urls) {
      const created = await call('POST', '/webhook_endpoints', { webhook_endpoint: { webhook_url: url } });
      expect([url, created.status]).toEqual([url, 200]);
    }
    const eventId = randomUUID();
    // An event whose payload is its own data: rendering it loads nothing.
    await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.outbox.publish({
        id: eventId,
        organizationId: system.organizationId,
        occurredAt: new Date(),
        type: 'customer.checkout_url_generated',
        objectType: 'payment_provider_customer_checkout_url',
        data: {
          lago_customer_id: randomUUID(),
          external_customer_id: 'ext-1',
          payment_provider: 'stripe',
          payment_provider_code: 'stripe_main',
          checkout_url: 'https://checkout.example/c/1',
        },
      }),
    );
    await waitForJobs(system.db, 30_000);

    expect(receiver.received).toEqual([]);
    const log = await call<{ webhook_deliveries: Delivery[] }>(
      'GET',
      `/webhook_deliveries?webhook_id=${eventId}`,
    );
    expect(log.status).toBe(200);
    expect(
      log.body.webhook_deliveries
        .map((d) => [d.webhook_url, d.succeeded, d.http_status, d.response_excerpt, d.error])
        .sort(),
    ).toEqual(urls.map((url) => [url, false, null, null, 'refused_target']).sort());
    expect(JSON.stringify(log.body)).not.toMatch(/ECONNREFUSED|fetch failed|connect /);
  });
});
