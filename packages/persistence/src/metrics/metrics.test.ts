import { describe, expect, it } from 'vitest';
import { routeTemplate } from './http.js';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('counts Stripe responses by operation, a 429 as rate_limited', async () => {
    const metrics = new Metrics({ service: 'worker' });
    metrics.observeStripeCall('POST /v1/payment_intents', 429, 0.01);
    metrics.observeStripeCall('POST /v1/payment_intents', 200, 0.2);
    metrics.observeStripeCall('GET /v1/customers/{id}', 404, 0.05);
    const text = await metrics.text();
    expect(text).toContain(
      'payrail_stripe_requests_total{operation="POST /v1/payment_intents",outcome="rate_limited",service="worker"} 1',
    );
    expect(text).toContain(
      'payrail_stripe_requests_total{operation="POST /v1/payment_intents",outcome="ok",service="worker"} 1',
    );
    expect(text).toContain(
      'payrail_stripe_requests_total{operation="GET /v1/customers/{id}",outcome="client_error",service="worker"} 1',
    );
  });

  it('counts jobs, received events and deliveries by outcome', async () => {
    const metrics = new Metrics({ service: 'worker' });
    metrics.observeJob('payment.collect', 'retry', 1.5);
    metrics.observeWebhookIngest('duplicate');
    metrics.observeDelivery('network_error');
    const text = await metrics.text();
    expect(text).toContain('payrail_jobs_total{queue="payment.collect",outcome="retry",service="worker"} 1');
    expect(text).toContain('payrail_stripe_webhooks_received_total{outcome="duplicate",service="worker"} 1');
    expect(text).toContain('payrail_webhook_deliveries_total{outcome="network_error",service="worker"} 1');
  });
});

describe('routeTemplate', () => {
  it('takes the last matched route that is not middleware, and names unmatched paths once', () => {
    expect(
      routeTemplate([
        { method: 'ALL', path: '*' },
        { method: 'ALL', path: '/api/v1/*' },
        { method: 'GET', path: '/api/v1/customers/:external_customer_id' },
      ]),
    ).toBe('/api/v1/customers/:external_customer_id');
    expect(routeTemplate([{ method: 'ALL', path: '*' }])).toBe('unmatched');
  });
});
