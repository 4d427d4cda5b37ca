import { randomUUID } from 'node:crypto';
import { makeEvent } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('webhook deliveries', () => {
  let h: Harness;
  let endpointId: string;
  let eventId: string;

  beforeAll(async () => {
    h = await startHarness();
    const created = await h.call('POST', '/api/v1/webhook_endpoints', {
      body: { webhook_endpoint: { webhook_url: 'https://hooks.acme.test/lago' } },
    });
    endpointId = (created.body as { webhook_endpoint: { lago_id: string } }).webhook_endpoint.lago_id;
    eventId = randomUUID();
    const event = makeEvent(
      'customer.created',
      { id: eventId, organizationId: h.acme.organizationId, occurredAt: new Date() },
      { lago_customer_id: randomUUID() },
    );
    await h.deps.ctx.uow.run(h.acme.organizationId, (tx) => tx.outbox.publish(event));
    const attempt = { eventId, endpointId, responseExcerpt: null, durationMs: 12 };
    await h.db.webhooks.recordAttempt({
      ...attempt,
      attempt: 1,
      succeeded: false,
      httpStatus: 500,
      error: null,
      responseExcerpt: 'oops',
      attemptedAt: new Date('2026-11-26T10:00:00Z'),
    });
    // What the worker recorded before it kept only categories: a socket error naming an address.
    await h.db.webhooks.recordAttempt({
      ...attempt,
      attempt: 0,
      succeeded: false,
      httpStatus: null,
      error: 'fetch failed: connect ECONNREFUSED 10.0.3.7:5432',
      responseExcerpt: null,
      attemptedAt: new Date('2026-11-26T09:59:00Z'),
    });
    await h.db.webhooks.recordAttempt({
      ...attempt,
      attempt: 2,
      succeeded: true,
      httpStatus: 200,
      error: null,
      attemptedAt: new Date('2026-11-26T10:00:05Z'),
    });
  });
  afterAll(() => h.close());

  it('lists every attempt, newest first, with the endpoint URL', async () => {
    const res = await h.call('GET', '/api/v1/webhook_deliveries');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      webhook_deliveries: [
        {
          attempt: 2,
          succeeded: true,
          http_status: 200,
          webhook_type: 'customer.created',
          lago_webhook_id: eventId,
        },
        {
          attempt: 1,
          succeeded: false,
          http_status: 500,
          response_excerpt: null,
          error: null,
          webhook_url: 'https://hooks.acme.test/lago',
        },
        {
          attempt: 0,
          succeeded: false,
          http_status: null,
          response_excerpt: null,
          error: 'connection_failed',
        },
      ],
      meta: { total_count: 3 },
    });
    // Nothing of a reply or a socket error reaches the merchant.
    expect(res.text).not.toMatch(/oops|ECONNREFUSED|10\.0\.3\.7/);
  });

  it('filters by outcome, endpoint and event', async () => {
    const failed = await h.call('GET', '/api/v1/webhook_deliveries?succeeded=false');
    expect(failed.body).toMatchObject({ meta: { total_count: 2 } });
    const byEndpoint = await h.call('GET', `/api/v1/webhook_deliveries?webhook_endpoint_id=${endpointId}`);
    expect(byEndpoint.body).toMatchObject({ meta: { total_count: 3 } });
    const other = await h.call('GET', `/api/v1/webhook_deliveries?webhook_id=${randomUUID()}`);
    expect(other.body).toMatchObject({ webhook_deliveries: [], meta: { total_count: 0, current_page: 0 } });
    const bad = await h.call('GET', '/api/v1/webhook_deliveries?succeeded=maybe');
    expect(bad).toMatchObject({ status: 422, body: { error_details: { succeeded: ['value_is_invalid'] } } });
  });

  it('shows another organization none of them', async () => {
    const res = await h.call('GET', '/api/v1/webhook_deliveries', { key: h.globex.apiKey });
    expect(res.body).toMatchObject({ webhook_deliveries: [], meta: { total_count: 0 } });
  });
});
