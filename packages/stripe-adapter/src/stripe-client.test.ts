import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  createStripeClient,
  DEFAULT_TIMEOUT_MS,
  StripeClientCache,
  stripeOperation,
} from './stripe-client.js';

describe('stripeOperation', () => {
  it.each([
    ['post', '/v1/payment_intents', 'POST /v1/payment_intents'],
    ['POST', '/v1/payment_intents/pi_3QxYz12/confirm', 'POST /v1/payment_intents/{id}/confirm'],
    ['GET', '/v1/customers/cus_N7abc/payment_methods?limit=1', 'GET /v1/customers/{id}/payment_methods'],
    ['GET', '/v1/checkout/sessions/cs_test_a1B2', 'GET /v1/checkout/sessions/{id}'],
    ['DELETE', '/v1/webhook_endpoints/we_1Abc', 'DELETE /v1/webhook_endpoints/{id}'],
  ])('%s %s is %s', (method, path, operation) => {
    expect(stripeOperation(method, path)).toBe(operation);
  });
});

describe('createStripeClient', () => {
  it('points the SDK at STRIPE_API_BASE, pinned to the SDK’s API version, without telemetry', () => {
    const client = createStripeClient('sk_test_1', {
      apiBase: 'http://127.0.0.1:12111',
      maxNetworkRetries: 1,
    });
    expect(client.getApiField('host')).toBe('127.0.0.1');
    expect(client.getApiField('port')).toBe(12111);
    expect(client.getApiField('protocol')).toBe('http');
    expect(client.getApiField('version')).toBe(Stripe.API_VERSION);
    expect(Stripe.API_VERSION).toBe('2026-10-28.endive');
    expect(client.getApiField('timeout')).toBe(DEFAULT_TIMEOUT_MS);
    expect(client.getMaxNetworkRetries()).toBe(1);
    expect(client.getTelemetryEnabled()).toBe(false);
  });

  it('talks to Stripe itself when no base is configured', () => {
    const client = createStripeClient('sk_test_1', { timeoutMs: 5_000 });
    expect(client.getApiField('host')).toBe('api.stripe.com');
    expect(client.getApiField('protocol')).toBe('https');
    expect(client.getApiField('timeout')).toBe(5_000);
  });
});

describe('StripeClientCache', () => {
  it('keeps one client per secret key', () => {
    const cache = new StripeClientCache({});
    const a = cache.get('sk_test_a');
    expect(cache.get('sk_test_a')).toBe(a);
    expect(cache.get('sk_test_b')).not.toBe(a);
    expect(cache.size).toBe(2);
  });

  it('drops the least recently used client past its bound', () => {
    const cache = new StripeClientCache({}, 2);
    const a = cache.get('sk_test_a');
    const b = cache.get('sk_test_b');
    expect(cache.get('sk_test_a')).toBe(a); // a is now the most recent
    cache.get('sk_test_c');
    expect(cache.size).toBe(2);
    expect(cache.get('sk_test_a')).toBe(a);
    expect(cache.get('sk_test_b')).not.toBe(b);
  });
});
