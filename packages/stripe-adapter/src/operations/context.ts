import type Stripe from 'stripe';
import type { RateLimitRetryPolicy } from '../retry.js';

/** What every operation needs: the connection's client and how to treat 429s. */
export interface OperationContext {
  readonly stripe: Stripe;
  readonly retry: RateLimitRetryPolicy;
  readonly webhookEvents: readonly string[];
}
