/**
 * One organization's endpoint that never answers must not hold back another organization's
 * deliveries: the real queue on PostgreSQL, the real worker, real HTTP receivers.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { startReceiver } from '@payrail/lago-wire/testing';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../src/app.js';
import { composeWorker } from '../src/compose.js';
import { DEFAULT_WORKER_SETTINGS } from '../src/settings.js';

let db: TestDatabase;
let worker: RunningWorker;
let fast: Awaited<ReturnType<typeof startReceiver>>;
const hanging: ServerResponse[] = [];
const hangingServer = createServer((_req, res) => {
  hanging.push(res); // never answered
});
let hangingUrl: string;

async function publish(organizationId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.unitOfWork.run(organizationId, (tx) =>
      tx.outbox.publish({
        id: crypto.randomUUID(),
        organizationId,
        occurredAt: new Date(),
        type: 'customer.checkout_url_generated',
        objectType: 'payment_provider_customer_checkout_url',
        data: {
          lago_customer_id: crypto.randomUUID(),
          external_customer_id: `ext-${i}`,
          payment_provider: 'stripe',
          payment_provider_code: 'stripe_main',
          checkout_url: 'https://checkout.example/c/1',
        },
      }),
    );
  }
}

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'isolation' });
  await new Promise<void>((resolve) => hangingServer.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hangingServer.address() as AddressInfo).port}/hang`;
  fast = await startReceiver();
  worker = await startWorker(
    composeWorker({
      db,
      gateways: new StripeGatewayFactory({ apiBase: 'http://127.0.0.1:1' }),
      signingKey: WebhookSigningKey.generate(),
      publicBaseUrl: 'http://127.0.0.1:1',
      apiUrl: 'http://api.payrail.test',
      // Both receivers listen on loopback, which production refuses.
      settings: { webhookTimeoutMs: 60_000, webhookPrivateTargets: ['loopback'] },
    }),
  );
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  hangingServer.closeAllConnections();
  await new Promise<void>((resolve) => hangingServer.close(() => resolve()));
  await worker?.stop();
  await fast?.close();
  await db?.dispose();
});

describe('outgoing webhooks across organizations', () => {
  it("delivers an organization's event at once while another organization's endpoint hangs", async () => {
    const slow = await db.organizations.create({ name: 'Slow', documentNumberPrefix: 'SLO' });
    const quick = await db.organizations.create({ name: 'Quick', documentNumberPrefix: 'QUI' });
    await db.webhookEndpoints.create(slow.id, {
      webhookUrl: hangingUrl,
      signatureAlgo: 'hmac',
      name: null,
      eventTypes: null,
    });
    await db.webhookEndpoints.create(quick.id, {
      webhookUrl: `${fast.url}/quick`,
      signatureAlgo: 'hmac',
      name: null,
      eventTypes: null,
    });

    await publish(slow.id, 40);
    // The slow organization's deliveries are in flight (and will hang for a minute).
    const deadline = Date.now() + 10_000;
    while (hanging.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(hanging.length).toBeGreaterThanOrEqual(2);

    const published = Date.now();
    await publish(quick.id, 1);
    while (fast.received.length === 0 && Date.now() - published < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fast.received).toHaveLength(1);
    expect(Date.now() - published).toBeLessThan(5_000);
    // The slow organization holds no more than its share of the slots.
    expect(hanging.length).toBeLessThanOrEqual(DEFAULT_WORKER_SETTINGS.webhookOrganizationConcurrency);
  }, 30_000);
});
