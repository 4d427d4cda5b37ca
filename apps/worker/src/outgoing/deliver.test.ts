import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import {
  buildWebhookPayload,
  type PrivateTargetKind,
  type Resolver,
  WebhookSigningKey,
} from '@payrail/lago-wire';
import { startReceiver, verifyHmacSignature, verifyJwtSignature } from '@payrail/lago-wire/testing';
import { DEFAULT_QUEUES } from '@payrail/persistence';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryWebhookStore } from '../../test/memory-webhooks.js';
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

interface Setup {
  /** Private classes the deployment opens; loopback by default, since the receivers are on it. */
  readonly allowPrivateTargets?: readonly PrivateTargetKind[];
  readonly resolve?: Resolver;
  readonly timeoutMs?: number;
}

function setup(maxAttempts = 3, options: Setup = {}) {
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
    settings: {
      maxAttempts,
      timeoutMs: options.timeoutMs ?? 2_000,
      issuer: ISSUER,
      allowPrivateTargets: options.allowPrivateTargets ?? ['loopback'],
    },
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
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
    // A category, not the socket's message (which names the address and port it tried).
    expect(store.attempts[0]).toMatchObject({
      succeeded: false,
      httpStatus: null,
      error: 'connection_failed',
    });
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

describe('deliverWebhookHandler: where webhooks may go', () => {
  const endpoint = (id: string, url: string) => ({
    organizationId: ORG,
    id,
    url,
    signatureAlgo: 'hmac' as const,
    eventTypes: null,
  });

  it('contacts no loopback endpoint while loopback is not allowed, and logs only refused_target', async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const { store, run } = setup(1, { allowPrivateTargets: [] });
    store.endpoints.push(
      endpoint('ep-ip', `${receiver.url}/ip`),
      endpoint('ep-decimal', `http://2130706433:${port}/decimal`),
      endpoint('ep-hex', `http://0x7f.1:${port}/hex`),
      endpoint('ep-mapped', `http://[::ffff:127.0.0.1]:${port}/mapped`),
      endpoint('ep-name', `http://localhost:${port}/name`),
    );
    expect(await run()).toEqual({ status: 'parked', reason: '5 endpoint(s) failed every attempt' });
    expect(receiver.received).toEqual([]);
    expect(store.attempts.map((a) => [a.endpointId, a.succeeded, a.httpStatus, a.error]).sort()).toEqual([
      ['ep-decimal', false, null, 'refused_target'],
      ['ep-hex', false, null, 'refused_target'],
      ['ep-ip', false, null, 'refused_target'],
      ['ep-mapped', false, null, 'refused_target'],
      ['ep-name', false, null, 'refused_target'],
    ]);
  });

  it('refuses metadata and link-local targets even with loopback and private ranges open', async () => {
    const { store, run } = setup(1, { allowPrivateTargets: ['loopback', 'private'] });
    store.endpoints.push(
      endpoint('ep-metadata', 'http://169.254.169.254/latest/meta-data'),
      endpoint('ep-metadata-v6', 'http://[fd00:ec2::254]/latest/meta-data'),
      endpoint('ep-google', 'http://metadata.google.internal/computeMetadata/v1/'),
      endpoint('ep-unspecified', 'http://0.0.0.0/'),
    );
    expect((await run()).status).toBe('parked');
    expect(store.attempts.map((a) => a.error)).toEqual([
      'refused_target',
      'refused_target',
      'refused_target',
      'refused_target',
    ]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const resolve: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    const { store, run } = setup(1, { resolve });
    store.endpoints.push(endpoint('ep', `http://hooks.split.test:${port}/x`));
    expect((await run()).status).toBe('parked');
    expect(receiver.received).toEqual([]);
    expect(store.attempts[0]).toMatchObject({ httpStatus: null, error: 'refused_target' });
  });

  it('connects to the address it checked: the name is resolved once, then never again', async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    // A rebinding name: allowed at the first answer, metadata at every later one. Only this
    // resolver knows it, so a client that resolved it again by itself could not connect at all.
    const asked: string[] = [];
    const resolve: Resolver = async (hostname) => {
      asked.push(hostname);
      return [{ address: asked.length === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    };
    const { store, run } = setup(1, { resolve });
    store.endpoints.push(endpoint('ep', `http://hooks.rebind.test:${port}/x`));
    expect(await run()).toEqual({ status: 'done', detail: 'delivered to 1' });
    expect(asked).toEqual(['hooks.rebind.test']);
    expect(receiver.received).toHaveLength(1);
    // The name stays the Host the receiver sees.
    expect(receiver.received[0]?.headers.host).toBe(`hooks.rebind.test:${port}`);
    expect(store.attempts[0]).toMatchObject({ succeeded: true, httpStatus: 200, error: null });
  });

  it('over https, connects to the checked address and presents the name for TLS', async () => {
    // A TLS server that only records the server name the client asks for, then ends the handshake.
    const serverNames: string[] = [];
    const tlsServer = createTlsServer({
      SNICallback: (name, done) => {
        serverNames.push(name);
        done(new Error('no certificate here'));
      },
    });
    tlsServer.on('tlsClientError', () => undefined);
    await new Promise<void>((done) => tlsServer.listen(0, '127.0.0.1', done));
    try {
      const asked: string[] = [];
      const resolve: Resolver = async (hostname) => {
        asked.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      };
      const { store, run } = setup(1, { resolve });
      const port = (tlsServer.address() as AddressInfo).port;
      store.endpoints.push(endpoint('ep', `https://hooks.tls.test:${port}/x`));
      expect((await run()).status).toBe('parked');
      expect(asked).toEqual(['hooks.tls.test']);
      expect(serverNames).toEqual(['hooks.tls.test']);
      expect(store.attempts[0]).toMatchObject({ httpStatus: null, error: 'connection_failed' });
    } finally {
      await new Promise<void>((done) => tlsServer.close(() => done()));
    }
  });

  it('does not follow a redirect, not even to an allowed target', async () => {
    const target = await startReceiver();
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: `${target.url}/moved` });
      res.end();
    });
    await new Promise<void>((done) => redirecting.listen(0, '127.0.0.1', done));
    try {
      const { store, run } = setup(1);
      store.endpoints.push(
        endpoint('ep', `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`),
      );
      expect((await run()).status).toBe('parked');
      expect(target.received).toEqual([]);
      expect(store.attempts[0]).toMatchObject({ succeeded: false, httpStatus: 307, error: null });
    } finally {
      await target.close();
      await new Promise<void>((done) => redirecting.close(() => done()));
    }
  });

  it('keeps nothing of the reply but its status', async () => {
    const talkative = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal: db-primary.corp:5432 password=hunter2');
    });
    await new Promise<void>((done) => talkative.listen(0, '127.0.0.1', done));
    try {
      const { store, run } = setup(1);
      store.endpoints.push(endpoint('ep', `http://127.0.0.1:${(talkative.address() as AddressInfo).port}/`));
      expect((await run()).status).toBe('parked');
      expect(store.attempts[0]).toMatchObject({ succeeded: false, httpStatus: 500, error: null });
      expect(JSON.stringify(store.attempts)).not.toMatch(/hunter2|db-primary/);
    } finally {
      await new Promise<void>((done) => talkative.close(() => done()));
    }
  });

  it('records a receiver that never answers as a timeout, nothing more', async () => {
    const held: ServerResponse[] = [];
    const silent = createServer((_req, res) => {
      held.push(res);
    });
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const { store, run } = setup(1, { timeoutMs: 300 });
      store.endpoints.push(endpoint('ep', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`));
      expect((await run()).status).toBe('parked');
      expect(store.attempts[0]).toMatchObject({ succeeded: false, httpStatus: null, error: 'timeout' });
    } finally {
      for (const res of held) res.destroy();
      silent.closeAllConnections();
      await new Promise<void>((done) => silent.close(() => done()));
    }
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
