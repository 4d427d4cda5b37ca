import Stripe from 'stripe';

const stripe = new Stripe('sk_test_unused');

/** Signs with the official SDK helper, so the receiver is checked against Stripe's own scheme. */
export function sign(payload: string, secret: string, timestamp?: number): string {
  return stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

let seq = 0;

export function stripeEvent(type = 'payment_intent.succeeded', overrides: Record<string, unknown> = {}) {
  seq++;
  return {
    id: `evt_test${String(seq).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    data: { object: { id: 'pi_123', object: 'payment_intent', metadata: {} } },
    request: { id: null, idempotency_key: null },
    ...overrides,
  };
}
