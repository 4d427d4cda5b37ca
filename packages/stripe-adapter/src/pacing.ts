import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { sleep } from './retry.js';

/** How fast one Stripe account may be called: a steady rate, and how many may go at once. */
export interface RequestRate {
  readonly perSecond: number;
  /** Requests that may go back to back after a quiet spell (at least 1). */
  readonly burst: number;
}

/**
 * Where each Stripe account's request budget is kept, shared by every process that calls Stripe
 * for it (persistence keeps it in PostgreSQL). `reserve` books the account's next free slot and
 * answers how many milliseconds from now that slot opens (0 or less: at once).
 */
export interface RequestBudget {
  reserve(account: string, rate: RequestRate): Promise<number>;
}

export interface StripePacingOptions {
  readonly budget: RequestBudget;
  /** Requests per second for a live-mode key; Stripe's default limit, 100, unless set. 0: unpaced. */
  readonly livePerSecond?: number;
  /** Requests per second for a test-mode key; Stripe's default limit, 25, unless set. 0: unpaced. */
  readonly testPerSecond?: number;
  /** Told when the budget cannot be read; that request then goes unpaced (a 429 still stops it). */
  readonly onBudgetError?: (error: unknown) => void;
}

export const STRIPE_LIVE_REQUESTS_PER_SECOND = 100;
export const STRIPE_TEST_REQUESTS_PER_SECOND = 25;

/** The rate a key is paced at, or null when it is not paced. */
export function rateForKey(secretKey: string, options: StripePacingOptions): RequestRate | null {
  const live = /^(sk|rk)_live_/.test(secretKey);
  const perSecond = live
    ? (options.livePerSecond ?? STRIPE_LIVE_REQUESTS_PER_SECOND)
    : (options.testPerSecond ?? STRIPE_TEST_REQUESTS_PER_SECOND);
  if (!(perSecond > 0)) return null;
  // A tenth of a second's worth may go at once: a short burst (a few invoices on a quiet system)
  // does not queue, while the long-run rate never passes the limit.
  return { perSecond, burst: Math.max(1, Math.ceil(perSecond / 10)) };
}

/** The budget's name for a key: a digest, so the database never holds the key itself. */
export function budgetAccount(secretKey: string): string {
  return createHash('sha256').update(secretKey).digest('hex').slice(0, 32);
}

/**
 * The SDK's HTTP client, waiting for a slot of the account's budget before each request it sends,
 * its own network retries included. The SDK's timeout starts when the request is sent, so the
 * wait never times a request out.
 */
export function pacedHttpClient(secretKey: string, options: StripePacingOptions): Stripe.HttpClient | null {
  const rate = rateForKey(secretKey, options);
  if (rate === null) return null;
  const account = budgetAccount(secretKey);
  const inner = Stripe.createNodeHttpClient();
  const paced = Object.create(inner) as Stripe.HttpClient;
  paced.makeRequest = async (...args: Parameters<Stripe.HttpClient['makeRequest']>) => {
    let waitMs = 0;
    try {
      waitMs = await options.budget.reserve(account, rate);
    } catch (error) {
      options.onBudgetError?.(error);
    }
    if (waitMs >= 1) await sleep(waitMs);
    return inner.makeRequest(...args);
  };
  return paced;
}
