import { createLogger } from '@payrail/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDeps, createApiApp } from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

describe('health, readiness, auth, documents', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers health and readiness', async () => {
    expect(await h.call('GET', '/health', { key: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect(await h.call('GET', '/ready', { key: null })).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: true } },
    });
  });

  it.each([
    ['no header', null],
    ['unknown key', 'pr_unknown'],
  ])('answers 401 in Lago shape with %s', async (_name, key) => {
    const res = await h.call('GET', '/api/v1/customers', { key });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: 401, error: 'Unauthorized' });
  });

  it('refuses a malformed Authorization header', async () => {
    const res = await h.call('GET', '/api/v1/customers', {
      key: null,
      headers: { authorization: `Basic ${h.acme.apiKey}` },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked key in every request once its cache entry is 5 s old', async () => {
    let now = Date.now();
    const app = createApiApp(
      buildApiDeps({
        database: h.db,
        gateways: h.deps.ctx.gateways,
        signingKey: h.deps.signingKey,
        settings: h.deps.ctx.settings,
        clock: { now: () => new Date(now) },
        logger: createLogger({ service: 'api', level: 'silent' }),
        ui: null,
      }),
    );
    const { id, key } = await h.db.organizations.createApiKey(h.acme.organizationId, 'revoked soon');
    const get = async () =>
      (await app.request('/api/v1/add_ons', { headers: { authorization: `Bearer ${key}` } })).status;
    expect(await get()).toBe(200);
    expect(await h.db.organizations.revokeApiKey(h.acme.organizationId, id)).toBe(true);
    // Within the window the key is still trusted (no read per request) ...
    now += 4_000;
    expect(await get()).toBe(200);
    // ... and past it, read again and refused.
    now += 1_000;
    expect(await get()).toBe(401);
  });

  it('answers an unknown route with resource_not_found', async () => {
    const res = await h.call('GET', '/api/v1/nothing_here');
    expect(res).toMatchObject({
      status: 404,
      body: { status: 404, error: 'Not Found', code: 'resource_not_found' },
    });
  });

  it('serves an OpenAPI 3.1 document listing every resource, without a key', async () => {
    const res = await h.call('GET', '/api/v1/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/stripe_connections',
      '/customers',
      '/customers/{external_customer_id}/checkout_url',
      '/add_ons/{code}',
      '/invoices/{lago_id}/retry_payment',
      '/payments/{lago_id}',
      '/credit_notes',
      '/credit_notes/{lago_id}/void',
      '/webhook_endpoints/{lago_id}',
      '/webhooks/json_public_key',
      '/organizations',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });

  it('serves the docs page', async () => {
    const res = await h.call('GET', '/docs', { key: null });
    expect(res.status).toBe(200);
    expect(res.text).toContain('/api/v1/openapi.json');
  });

  it('serves the web UI at /ui and sends / there', async () => {
    const signIn = await h.call('GET', '/ui/sign-in', { key: null });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('content-type')).toContain('text/html');
    const root = await h.call('GET', '/', { key: null });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/ui');
  });

  it('puts a request id on every response and never logs the key', async () => {
    const res = await h.call('GET', '/api/v1/customers');
    expect(res.headers.get('x-request-id')).toMatch(/.{8,}/);
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.join('\n')).not.toContain(h.acme.apiKey);
    expect(JSON.parse(h.logs.at(-1)!)).toMatchObject({
      msg: 'request',
      path: '/api/v1/customers',
      status: 200,
    });
  });

  it('answers 503 on /ready when the database does not answer', async () => {
    const app = createApiApp({
      ...h.deps,
      readiness: { check: async () => ({ ok: false, checks: { database: false } }) },
    });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not_ready', checks: { database: false } });
  });

  it('turns an unexpected error into a 500 with the request id, logged without the key', async () => {
    const app = createApiApp({
      ...h.deps,
      lists: {
        ...h.deps.lists,
        customers: async () => {
          throw new Error('database exploded');
        },
      },
    });
    const res = await app.request('/api/v1/customers', {
      headers: { authorization: `Bearer ${h.acme.apiKey}` },
    });
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id');
    expect(await res.json()).toEqual({ status: 500, error: 'Internal Server Error', request_id: requestId });
    const line = h.logs.find((l) => l.includes('unhandled error') && l.includes(requestId ?? '-'));
    expect(line).toContain('database exploded');
    expect(h.logs.join('\n')).not.toContain(h.acme.apiKey);
  });

  it('serves the webhook public key as text and JSON, the same key the worker signs with', async () => {
    const text = await h.call('GET', '/api/v1/webhooks/public_key');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toContain('text/plain');
    const json = await h.call('GET', '/api/v1/webhooks/json_public_key');
    expect(json.body).toEqual({ webhook: { public_key: text.text } });
    const pem = Buffer.from(text.text.replaceAll('\n', ''), 'base64').toString('utf8');
    expect(pem).toBe(h.deps.signingKey.publicKeyPem());
  });
});
