import type { Id } from '../../model/common.js';

/** Where Stripe sends a connection's events; the code tells the receiver which connection signed. */
export function stripeWebhookUrl(publicBaseUrl: string, organizationId: Id, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/webhooks/stripe/${organizationId}?code=${encodeURIComponent(code)}`;
}
