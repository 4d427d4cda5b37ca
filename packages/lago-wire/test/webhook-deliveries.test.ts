import { describe, expect, it } from 'vitest';
import { serializeWebhookDelivery, WebhookDeliveryListQuery, WebhookDeliverySchema } from '../src/index.js';

const attempt = {
  id: '0b6f5a3e-7c4f-4c1e-9d5e-2f3b4a5c6d7e',
  eventId: '1b6f5a3e-7c4f-4c1e-9d5e-2f3b4a5c6d7e',
  webhookType: 'invoice.voided',
  objectType: 'invoice',
  endpointId: '2b6f5a3e-7c4f-4c1e-9d5e-2f3b4a5c6d7e',
  webhookUrl: 'https://example.com/hook',
  attempt: 2,
  succeeded: false,
  httpStatus: null,
  error: 'timeout',
  durationMs: 10_000,
  attemptedAt: new Date('2026-11-26T10:11:12.345Z'),
};

describe('webhook deliveries', () => {
  it('an attempt as the API lists it; an old socket error shows as its category', () => {
    const wire = serializeWebhookDelivery(attempt);
    expect(WebhookDeliverySchema.strict().parse(wire)).toEqual(wire);
    expect(wire).toMatchObject({
      error: 'timeout',
      attempted_at: '2026-11-26T10:11:12Z',
      response_excerpt: null,
    });
    expect(serializeWebhookDelivery({ ...attempt, error: 'connect ECONNREFUSED 10.0.0.1:443' }).error).toBe(
      'connection_failed',
    );
    expect(serializeWebhookDelivery({ ...attempt, error: 'timeout after 10000 ms' }).error).toBe('timeout');
    expect(serializeWebhookDelivery({ ...attempt, error: null, httpStatus: 200 }).error).toBeNull();
  });

  it('list filters: ids in lower case, succeeded as a boolean', () => {
    expect(
      WebhookDeliveryListQuery.parse({ webhook_id: attempt.eventId.toUpperCase(), succeeded: 'false' }),
    ).toEqual({ eventId: attempt.eventId, succeeded: false });
  });
});
