/**
 * The events registered on each connection's webhook endpoint: Lago's eight, plus the
 * PaymentIntent and refund events that let us follow a payment or refund without polling, and the
 * end of a payment link's page (paid or expired).
 */
export const HANDLED_STRIPE_EVENTS = [
  'setup_intent.succeeded',
  'customer.updated',
  'payment_method.detached',
  'payment_intent.succeeded',
  'payment_intent.processing',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'payment_intent.canceled',
  'checkout.session.completed',
  'checkout.session.expired',
  'charge.dispute.closed',
  'charge.refund.updated',
  'refund.updated',
  'refund.failed',
] as const;

export type HandledStripeEvent = (typeof HANDLED_STRIPE_EVENTS)[number];
