/** `keys: 'registered'`: only keys registered through the controls are valid, as at a real Stripe account. */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { EmulatorControlError } from '../src/index.js';
import { useEmulator } from './harness.js';

const h = useEmulator({ keys: 'registered' });
const newKey = () => `sk_test_${randomUUID().replace(/-/g, '')}`;

async function refusal(stripe: Stripe): Promise<Stripe.errors.StripeError> {
  const err = await stripe.customers.list().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error('expected a Stripe error');
  return err;
}

describe('registered keys only', () => {
  it('answers a well-formed key it never issued with the 401 of an unknown key, masked', async () => {
    const key = newKey();
    const err = await refusal(h.client({ key }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err.statusCode).toBe(401);
    expect(err.rawType).toBe('invalid_request_error');
    expect(err.message).toBe(`Invalid API Key provided: sk_test_****${key.slice(-4)}`);
    expect(err.message).not.toContain(key.slice(8, -4));
  });

  it('accepts the same key once registered, with an account of its own', async () => {
    const key = newKey();
    const stripe = h.client({ key });
    await refusal(stripe);
    expect(await h.controls.registerKey(key)).toEqual({
      registered: `sk_test_****${key.slice(-4)}`,
      mode: 'registered',
    });
    const customer = await stripe.customers.create({ email: 'known@example.com' });
    expect((await stripe.customers.list()).data.map((c) => c.id)).toEqual([customer.id]);
    const other = newKey();
    await h.controls.registerKey(other);
    expect((await h.client({ key: other }).customers.list()).data).toEqual([]);
  });

  it('refuses a registered key once revoked, and never registers it again', async () => {
    const key = newKey();
    await h.controls.registerKey(key);
    const stripe = h.client({ key });
    await stripe.customers.list();
    await h.controls.revokeKey(key);
    expect((await refusal(stripe)).statusCode).toBe(401);
    const again = await h.controls.registerKey(key).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(EmulatorControlError);
    expect((again as EmulatorControlError).status).toBe(409);
    expect((await refusal(stripe)).statusCode).toBe(401);
  });

  it('registers only test secret keys Stripe would not refuse by their form', async () => {
    for (const key of ['pk_test_abcd1234', 'sk_live_abcd1234', 'sk_test_revoked_1234', 'nonsense']) {
      const err = await h.controls.registerKey(key).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmulatorControlError);
      expect((err as EmulatorControlError).status).toBe(400);
      expect((err as Error).message).not.toContain(key.slice(8, -4) || '\u0000');
    }
    await expect(h.controls.registerKey('')).rejects.toThrow(/apiKey is required/);
  });

  it('reports the mode and counts, and reset() forgets registrations', async () => {
    const key = newKey();
    await h.controls.registerKey(key);
    const before = await h.controls.keys();
    expect(before.mode).toBe('registered');
    expect(before.registered).toBeGreaterThanOrEqual(1);
    await h.controls.reset();
    expect(await h.controls.keys()).toEqual({ mode: 'registered', registered: 0, revoked: 0 });
    expect((await refusal(h.client({ key }))).statusCode).toBe(401);
  });
});
