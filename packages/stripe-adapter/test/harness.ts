/**
 * One in-process emulator per test file, the real SDK on loopback, and a fresh Stripe account
 * (secret key) per test so tests never see each other's objects. The emulator accepts only keys
 * registered with it, as Stripe knows only the keys it issued: `account()` registers its key, and
 * `unknownKey()` is one it has never seen.
 */
import { randomBytes } from 'node:crypto';
import { Secret } from '@payrail/domain';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';
import { type StripeGateway, StripeGatewayFactory, type StripeGatewayFactoryOptions } from '../src/index.js';

export interface Harness {
  readonly emulator: RunningEmulator;
  /** A new account: the gateway under test plus a plain SDK client to arrange and inspect state. */
  account(options?: StripeGatewayFactoryOptions): TestAccount;
}

/** A well-formed secret key the emulator never issued (not registered). */
export function unknownKey(): string {
  return `sk_test_${randomBytes(12).toString('hex')}`;
}

export interface TestAccount {
  readonly secretKey: string;
  readonly gateway: StripeGateway;
  readonly factory: StripeGatewayFactory;
  readonly stripe: Stripe;
}

export function useEmulator(): Harness {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    running = await startEmulator({ port: 0, keys: 'registered' });
  });
  afterAll(async () => {
    await running?.stop();
  });
  return {
    get emulator() {
      if (!running) throw new Error('the emulator is not running yet');
      return running;
    },
    account(options = {}) {
      const emulator = this.emulator;
      const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
      emulator.emulator.registerKey(secretKey);
      const factory = new StripeGatewayFactory({
        apiBase: emulator.url,
        rateLimitRetry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...options,
      });
      const gateway = factory.forConnection({ connectionId: null, secretKey: new Secret(secretKey) });
      const stripe = new Stripe(secretKey, {
        host: '127.0.0.1',
        port: emulator.port,
        protocol: 'http',
        telemetry: false,
        maxNetworkRetries: 0,
      });
      return { secretKey, gateway, factory, stripe };
    },
  };
}

/**
 * A Stripe customer with a saved method (a magic test token) made its default: a card attached,
 * or a bank account set up with the customer's acceptance of the mandate debits need.
 */
export async function customerWithMethod(
  stripe: Stripe,
  token: string,
): Promise<{ customerId: string; paymentMethodId: string }> {
  const customer = await stripe.customers.create({ name: 'Test customer' });
  const pm = token.startsWith('pm_card')
    ? await stripe.paymentMethods.attach(token, { customer: customer.id })
    : await stripe.setupIntents
        .create({
          customer: customer.id,
          payment_method: token,
          confirm: true,
          mandate_data: { customer_acceptance: { type: 'offline' } },
        })
        .then((si) => stripe.paymentMethods.retrieve(si.payment_method as string));
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { customerId: customer.id, paymentMethodId: pm.id };
}

/** Fails the test with the error when a gateway call did not succeed. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function unwrapErr<E>(result: { ok: true; value: unknown } | { ok: false; error: E }): E {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}
