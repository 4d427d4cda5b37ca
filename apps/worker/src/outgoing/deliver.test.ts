import { buildWebhookPayload, WebhookSigningKey } from '@payrail/lago-wire';
import { DEFAULT_QUEUES } from '@payrail/persistence';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryWebhookStore } from '../../test/memory-webhooks.js';
import { startReceiver } from '../../test/receiver.js';
import { verifyHmacSignature, verifyJwtSignature } from '../../test/verify-lago.js';
import { RetryLaterError } from '../jobs/outcome.js';
import { DEFAULT_WORKER_SETTINGS } from '../settings.js';
import { deliverWebhookHandler, uniqueKey } from './deliver.js';
import type { PayloadRenderer } from './ports.js';
import { toOutgoingEvent } from './render.js';

const ORG = 'org-1';
const ISSUER = 'https://api.payrail.test';
const key = WebhookSigningKey.generate();
// The event-specific payload of a failure event needs no object lookups.
const render: PayloadRenderer = async (event) => buildWebhookPayload(toOutgoingEvent(event));
const CHECKOUT = {
  lago_customer_id: 'cus-1',
  external_customer_id: 'ext-1',
  payment_provider: 'stripe',
  payment_provider_code: 'stripe_main',
  checkout_url: 'https://checkout.example/c/1',
};
let now = Date.parse('2026-11-26T12:00:00Z');
const clock = { now: () => new Date(now) };

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let receiver: Receiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

function setup(maxAttempts = 3) {
  const store = new MemoryWebhookStore();
  store.hmacKeys.set(ORG, 'org-hmac-key');
  store.events.set('evt-1', {
    id: 'evt-1',
    organizationId: ORG,
    webhookType: 'customer.checkout_url_generated',
    objectType: 'payment_provider_customer_checkout_url',
    payload: CHECKOUT,
    createdAt: clock.now(),
  });
  const handler = deliverWebhookHandler({
    store,
    render,
    signingKey: key,
    clock,
    settings: { maxAttempts, timeoutMs: 2_000, issuer: ISSUER },
  });
  const run = (attempt = 1, redeliveryFrom?: Date) =>
    handler({
      id: 'job',
      attempt,
      payload: {
        organizationId: ORG,
        eventId: 'evt-1',
        ...(redeliveryFrom === undefined ? {} : { redeliveryFrom: redeliveryFrom.toISOString() }),
      },
      signal: new AbortController().signal,
    });
  return { store, run };
}

describe('deliverWebhookHandler', () => {
  it('sends Lago envelope with verifiable JWT and HMAC signatures to the matching endpoints', async () => {
    receiver = await startReceiver();
    const { store, run } = setup();
    store.endpoints.push(
      {
        organizationId: ORG,
        id: 'ep-jwt',
        url: `${receiver.url}/jwt`,
        signatureAlgo: 'jwt',
        eventTypes: null,
      },
      {
        organizationId: ORG,
        id: 'ep-hmac',
        url: `${receiver.url}/hmac`,
        signatureAlgo: 'hmac',
        eventTypes: ['*'],
      },
      {
        organizationId: ORG,
        id: 'ep-other-type',
        url: `${receiver.url}/other`,
        signatureAlgo: 'jwt',
        eventTypes: ['invoice.voided'],
      },
      {
        organizationId: 'org-2',
        id: 'ep-other-org',
        url: `${receiver.url}/org2`,
        signatureAlgo: 'jwt',
        eventTypes: null,
      },
    );

    expect(await run()).toEqual({ status: 'done', detail: 'delivered to 2' });

    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/hmac', '/jwt']);
    for (const r of receiver.received) {
      expect(JSON.parse(r.body)).toEqual({
        webhook_type: 'customer.checkout_url_generated',
        object_type: 'payment_provider_customer_checkout_url',
        organization_id: ORG,
        payment_provider_customer_checkout_url: CHECKOUT,
      });
      expect(r.headers['content-type']).toBe('application/json');
      const signature = String(r.headers['x-lago-signature']);
      if (r.path === '/jwt') {
        expect(r.headers['x-lago-signature-algorithm']).toBe('jwt');
        expect(verifyJwtSignature(signature, key.publicKeyPem(), r.body, ISSUER)).toBe(true);
        expect(verifyJwtSignature(signature, key.publicKeyPem(), `${r.body} `, ISSUER)).toBe(false);
        expect(
          verifyJwtSignature(signature, WebhookSigningKey.generate().publicKeyPem(), r.body, ISSUER),
        ).toBe(false);
        expect(r.headers['x-lago-unique-key']).toBe(uniqueKey('evt-1', 'ep-jwt'));
      } else {
        expect(r.headers['x-lago-signature-algorithm']).toBe('hmac');
        expect(verifyHmacSignature(signature, 'org-hmac-key', r.body)).toBe(true);
        expect(verifyHmacSignature(signature, 'another-key', r.body)).toBe(false);
        expect(r.headers['x-lago-unique-key']).toBe(uniqueKey('evt-1', 'ep-hmac'));
      }
    }
    expect(store.attempts.map((a) => [a.endpointId, a.attempt, a.succeeded, a.httpStatus]).sort()).toEqual([
      ['ep-hmac', 1, true, 200],
      ['ep-jwt', 1, true, 200],
    ]);
  });

  it('retries only the failing endpoint, keeps the unique key, and stops after the configured attempts', async () => {
    receiver = await startReceiver((path) => (path === '/down' ? 503 : 200));
    const { store, run } = setup(3);
    store.endpoints.push(
      { organizationId: ORG, id: 'ep-up', url: `${receiver.url}/up`, signatureAlgo: 'jwt', eventTypes: null },
      {
        organizationId: ORG,
        id: 'ep-down',
        url: `${receiver.url}/down`,
        signatureAlgo: 'jwt',
        eventTypes: null,
      },
    );

    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    await expect(run(2)).rejects.toBeInstanceOf(RetryLaterError);
    expect(await run(3)).toEqual({ status: 'parked', reason: '1 endpoint(s) failed every attempt' });
    expect(await run(4)).toEqual({ status: 'done', detail: 'nothing due' });

    expect(receiver.received.filter((r) => r.path === '/up')).toHaveLength(1);
    const down = receiver.received.filter((r) => r.path === '/down');
    expect(down).toHaveLength(3);
    expect(new Set(down.map((r) => r.headers['x-lago-unique-key'])).size).toBe(1);
    expect(
      store.attempts
        .filter((a) => a.endpointId === 'ep-down')
        .map((a) => [a.attempt, a.succeeded, a.httpStatus]),
    ).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
    ]);
  });

  it('by default keeps trying an endpoint that is down for its first ten attempts, spread over hours', async () => {
    receiver = await startReceiver((_path, count) => (count <= 10 ? 503 : 200));
    const { store, run } = setup(DEFAULT_WORKER_SETTINGS.webhookAttempts);
    store.endpoints.push({
      organizationId: ORG,
      id: 'ep-flaky',
      url: `${receiver.url}/flaky`,
      signatureAlgo: 'hmac',
      eventTypes: null,
    });
    let outcome: unknown;
    for (let attempt = 1; outcome === undefined && attempt <= 20; attempt++) {
      outcome = await run(attempt).catch((error: unknown) => {
        if (!(error instanceof RetryLaterError)) throw error;
        return undefined;
      });
    }
    expect(outcome).toEqual({ status: 'done', detail: 'delivered to 1' });
    expect(receiver.received).toHaveLength(11);

    // The queue runs the job as often as the attempts allow, and its backoff spans hours.
    const queue = DEFAULT_QUEUES.find((q) => q.name === 'webhook.deliver');
    expect((queue?.retryLimit ?? 0) + 1).toBeGreaterThanOrEqual(DEFAULT_WORKER_SETTINGS.webhookAttempts);
    let waited = 0;
    for (let retry = 1; retry < DEFAULT_WORKER_SETTINGS.webhookAttempts; retry++) {
      waited += Math.min(
        (queue?.retryDelaySeconds ?? 0) * 2 ** (retry - 1),
        queue?.retryDelayMaxSeconds ?? 0,
      );
    }
    expect(waited).toBeGreaterThan(4 * 3600);
  });

  it('redelivers on request: every matching endpoint again, delivered ones too, with fresh attempts', async () => {
    receiver = await startReceiver((path) => (path === '/down' && !endpointBack ? 503 : 200));
    let endpointBack = false;
    const { store, run } = setup(2);
    store.endpoints.push(
      { organizationId: ORG, id: 'ep-up', url: `${receiver.url}/up`, signatureAlgo: 'jwt', eventTypes: null },
      {
        organizationId: ORG,
        id: 'ep-down',
        url: `${receiver.url}/down`,
        signatureAlgo: 'jwt',
        eventTypes: null,
      },
    );
    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    expect(await run(2)).toEqual({ status: 'parked', reason: '1 endpoint(s) failed every attempt' });
    expect(await run(3)).toEqual({ status: 'done', detail: 'nothing due' });

    endpointBack = true;
    now += 60_000;
    expect(await run(1, new Date(now))).toEqual({ status: 'done', detail: 'delivered to 2' });
    expect(receiver.received.filter((r) => r.path === '/up')).toHaveLength(2);
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(3);
    // The same unique key, so a receiver that already has the event can tell; attempts keep counting.
    const up = receiver.received.filter((r) => r.path === '/up');
    expect(up[0]?.headers['x-lago-unique-key']).toBe(up[1]?.headers['x-lago-unique-key']);
    expect(store.attempts.filter((a) => a.endpointId === 'ep-down').map((a) => a.attempt)).toEqual([1, 2, 3]);
    // A job of the same redelivery that runs again finds nothing left to do.
    expect(await run(2, new Date(now))).toEqual({ status: 'done', detail: 'nothing due' });
  });

  it('records a network error as a failed attempt', async () => {
    receiver = await startReceiver();
    const closedUrl = receiver.url;
    await receiver.close();
    receiver = null;
    const { store, run } = setup(1);
    store.endpoints.push({
      organizationId: ORG,
      id: 'ep',
      url: `${closedUrl}/x`,
      signatureAlgo: 'hmac',
      eventTypes: null,
    });
    expect((await run()).status).toBe('parked');
    expect(store.attempts).toHaveLength(1);
    expect(store.attempts[0]).toMatchObject({ succeeded: false, httpStatus: null });
    expect(store.attempts[0]?.error).toBeTruthy();
  });

  it('sends nothing when the organization has no matching endpoint', async () => {
    const { store, run } = setup();
    store.endpoints.push({
      organizationId: ORG,
      id: 'ep',
      url: 'http://127.0.0.1:1/x',
      signatureAlgo: 'jwt',
      eventTypes: ['credit_note.created'],
    });
    expect(await run()).toEqual({ status: 'done', detail: 'no endpoint' });
    expect(store.attempts).toHaveLength(0);
  });
});

describe('uniqueKey', () => {
  it('is a UUID, stable per event and endpoint, different across endpoints', () => {
    const a = uniqueKey('evt-1', 'ep-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uniqueKey('evt-1', 'ep-1')).toBe(a);
    expect(uniqueKey('evt-1', 'ep-2')).not.toBe(a);
  });
});
