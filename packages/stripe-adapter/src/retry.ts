/**
 * Stripe's SDK deliberately does not retry 429s, so the adapter does a few quick tries itself
 * (same idempotency key, full jitter) and then hands a `retryable` error to the job layer, which
 * backs off for longer. Keeping the in-process part short stops one busy worker from holding
 * Stripe's shared rate budget hostage.
 */
export interface RateLimitRetryPolicy {
  /** Tries in total, the first included (1 = never retry). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RATE_LIMIT_RETRY: RateLimitRetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
};

/** Full jitter: a uniform delay between 0 and the capped exponential step. */
export function backoffDelayMs(
  policy: RateLimitRetryPolicy,
  retryNumber: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
