import type { Secret } from '../secret.js';
import type { Id, Versioned } from './common.js';

/**
 * One Stripe account connected to an organization. The secret key is set at creation and never
 * changes (rotation = a new connection); the webhook endpoint is registered before the row exists.
 */
export interface StripeConnection extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly name: string;
  /** Unique per organization; customers name their connection by it. */
  readonly code: string;
  readonly secretKey: Secret;
  /** Where Checkout sends the customer afterwards; null = Stripe's own page. */
  readonly successRedirectUrl: string | null;
  readonly webhookEndpoint: { readonly providerEndpointId: string; readonly signingSecret: Secret };
}
