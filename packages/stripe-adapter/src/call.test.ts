import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { callStripe } from './call.js';
import { backoffDelayMs, DEFAULT_RATE_LIMIT_RETRY } from './retry.js';

const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

function rateLimited(headers: Record<string, string> = {}) {
  return Stripe.errors.StripeError.generate({
    type: 'invalid_request_error',
    code: 'rate_limit',
    message: 'Too many requests',
    statusCode: 429,
    headers,
  } as never);
}

function failingTimes(times: number, error: () => Error) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    request: async () => {
      calls++;
      if (calls <= times) throw error();
      return 'done';
    },
  };
}

describe('callStripe', () => {
  it('repeats a 429 and returns the later success', async () => {
    const call = failingTimes(2, () => rateLimited());
    expect(await callStripe(policy, call.request)).toEqual({ ok: true, value: 'done' });
    expect(call.calls).toBe(3);
  });

  it('stops after maxAttempts and reports retryable', async () => {
    const call = failingTimes(10, () => rateLimited());
    expect(await callStripe(policy, call.request)).toMatchObject({
      ok: false,
      error: { code: 'retryable', reason: 'rate_limited' },
    });
    expect(call.calls).toBe(3);
  });

  it('does not repeat when Stripe says Stripe-Should-Retry: false', async () => {
    const call = failingTimes(10, () => rateLimited({ 'stripe-should-retry': 'false' }));
    expect((await callStripe(policy, call.request)).ok).toBe(false);
    expect(call.calls).toBe(1);
  });

  it('does not repeat other errors: the SDK already retried those that can be', async () => {
    const call = failingTimes(10, () =>
      Stripe.errors.StripeError.generate({ type: 'api_error', message: 'x', statusCode: 500 } as never),
    );
    expect(await callStripe(policy, call.request)).toMatchObject({
      ok: false,
      error: { reason: 'server_error' },
    });
    expect(call.calls).toBe(1);
  });

  it('rethrows what is not a Stripe error: that is a defect, not a provider answer', async () => {
    await expect(
      callStripe(policy, async () => {
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
  });
});

describe('backoffDelayMs', () => {
  it('draws uniformly below the capped exponential step (full jitter)', () => {
    const p = DEFAULT_RATE_LIMIT_RETRY;
    expect(backoffDelayMs(p, 1, () => 0)).toBe(0);
    expect(backoffDelayMs(p, 1, () => 0.999)).toBe(Math.floor(0.999 * p.baseDelayMs));
    expect(backoffDelayMs(p, 2, () => 0.5)).toBe(p.baseDelayMs);
    expect(backoffDelayMs(p, 30, () => 0.999)).toBe(Math.floor(0.999 * p.maxDelayMs));
  });
});
