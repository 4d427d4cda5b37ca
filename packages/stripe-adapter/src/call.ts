import { err, type GatewayError, ok, type Result } from '@payrail/domain';
import Stripe from 'stripe';
import { backoffDelayMs, type RateLimitRetryPolicy, sleep } from './retry.js';
import { isStripeError, stripeShouldRetry, translateStripeError } from './translate/errors.js';

/**
 * Runs one Stripe call and returns its value or a domain error. The same `request` closure is
 * repeated on a 429, so a money-moving call repeats with the idempotency key it was built with.
 */
export async function callStripe<T>(
  policy: RateLimitRetryPolicy,
  request: () => Promise<T>,
): Promise<Result<T, GatewayError>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return ok(await request());
    } catch (error) {
      if (!isStripeError(error)) throw error;
      if (attempt < policy.maxAttempts && worthRepeating(error)) {
        await sleep(backoffDelayMs(policy, attempt));
        continue;
      }
      return err(translateStripeError(error));
    }
  }
}

function worthRepeating(error: Stripe.errors.StripeError): boolean {
  if (!(error instanceof Stripe.errors.StripeRateLimitError)) return false;
  return stripeShouldRetry(error) !== false;
}
