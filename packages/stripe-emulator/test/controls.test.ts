import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { EmulatorControlError, emulatorControls, startEmulator } from '../src/index.js';
import { useEmulator } from './harness.js';

const h = useEmulator();

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError))
    throw new Error(`expected a Stripe error, got ${String(err)}`);
  return err;
}

describe('fault injection', () => {
  it.each([
    ['rate_limit', 429, 'rate_limit', Stripe.errors.StripeRateLimitError],
    ['lock_timeout', 429, 'lock_timeout', Stripe.errors.StripeRateLimitError],
    ['conflict', 409, undefined, Stripe.errors.StripeAPIError],
    ['server_error', 500, undefined, Stripe.errors.StripeAPIError],
  ] as const)('%s answers %d before anything runs', async (kind, status, code, errorClass) => {
    const stripe = h.client();
    await h.controls.injectFaults(kind, 1, { method: 'POST', path: '/v1/customers' });
    const err = await failure(stripe.customers.create({ email: 'f@example.com' }));
    expect(err).toBeInstanceOf(errorClass);
    expect(err.statusCode).toBe(status);
    if (code) expect(err.code).toBe(code);
    expect((await stripe.customers.list()).data).toHaveLength(0);
    await stripe.customers.create({ email: 'f@example.com' });
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });

  it('counts down the next N matching requests only', async () => {
    const stripe = h.client();
    await h.controls.injectFaults('server_error', 2, { path: '/v1/payment_intents' });
    expect((await h.controls.listFaults())[0]).toMatchObject({ kind: 'server_error', count: 2 });
    await stripe.customers.create({ email: 'unaffected@example.com' });
    await failure(stripe.paymentIntents.list());
    await failure(stripe.paymentIntents.list());
    await stripe.paymentIntents.list();
    expect(await h.controls.listFaults()).toEqual([]);
  });

  it('resets connections; the SDK retries the first reset with the same key', async () => {
    const stripe = h.client();
    await h.controls.injectFaults('reset', 1, { path: '/v1/customers' });
    await stripe.customers.create({ email: 'reset@example.com' });
    expect((await stripe.customers.list()).data).toHaveLength(1);
    await h.controls.injectFaults('reset', 2, { path: '/v1/customers' });
    const err = await failure(stripe.customers.create({ email: 'reset2@example.com' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });

  it('can target one account by its key, never echoing the key', async () => {
    const target = h.client({ key: 'sk_test_target_1234' });
    const other = h.client();
    const fault = await h.controls.injectFault({ kind: 'server_error', apiKey: 'sk_test_target_1234' });
    expect(JSON.stringify(fault)).not.toContain('target_1234');
    await other.customers.list();
    await failure(target.customers.list());
    expect(await h.controls.listFaults()).toEqual([]);
  });

  it('clears faults', async () => {
    await h.controls.injectFaults('server_error', 5);
    await h.controls.clearFaults();
    expect(await h.controls.listFaults()).toEqual([]);
  });

  it('rejects unknown fault kinds', async () => {
    await expect(h.controls.injectFault({ kind: 'explode' as never })).rejects.toBeInstanceOf(
      EmulatorControlError,
    );
  });
});

describe('rate limit', () => {
  it('answers 429 rate_limit once an account spends its token bucket', async () => {
    const stripe = h.client();
    const other = h.client();
    await h.controls.setRateLimit(1, 5);
    try {
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => stripe.customers.list()));
      const limited = results.filter((r) => r.status === 'rejected');
      expect(limited.length).toBeGreaterThan(0);
      const counted = await h.controls.rateLimit();
      expect(counted).toMatchObject({ perSecond: 1, burst: 5, refused: limited.length });
      expect(counted.admitted).toBe(12 - limited.length);
      const err = (limited[0] as PromiseRejectedResult).reason as Stripe.errors.StripeError;
      expect(err).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(err.code).toBe('rate_limit');
      expect(err.headers?.['stripe-rate-limited-reason']).toBe('global-rate');
      expect((await other.customers.list()).object).toBe('list');
    } finally {
      await h.controls.setRateLimit(null);
    }
    expect((await stripe.customers.list()).object).toBe('list');
  });
});

describe('state controls', () => {
  it('advances the clock and reports it', async () => {
    const before = await h.controls.clock();
    const after = await h.controls.advanceClock(3600);
    expect(after.offsetSeconds).toBe(before.offsetSeconds + 3600);
    expect(after.now).toBeGreaterThanOrEqual(before.now + 3600);
    await expect(h.controls.advanceClock(-1)).rejects.toBeInstanceOf(EmulatorControlError);
  });

  it('lists the test instruments', async () => {
    const instruments = await h.controls.instruments();
    expect(instruments.find((i) => i.id === 'card_visa')?.tokens).toContain('pm_card_visa');
    expect(instruments.some((i) => i.type === 'bacs_debit')).toBe(true);
  });

  it('resets all state', async () => {
    const stripe = h.client({ key: 'sk_test_resetme' });
    await stripe.customers.create({ email: 'gone@example.com' });
    await h.controls.reset();
    expect((await stripe.customers.list()).data).toHaveLength(0);
  });

  it('answers unknown controls with 404', async () => {
    const res = await fetch(`${h.emu.url}/_emulator/nope`, { method: 'POST' });
    expect(res.status).toBe(404);
    const bad = await fetch(`${h.emu.url}/_emulator/clock/advance`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
  });
});

describe('real-time clock', () => {
  it('runs due outcomes as wall time passes when enabled', async () => {
    const emu = await startEmulator({ port: 0, realTimeClock: true });
    try {
      let ran = false;
      emu.emulator.clock.schedule(0, () => {
        ran = true;
      });
      for (let i = 0; i < 100 && !ran; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ran).toBe(true);
    } finally {
      await emu.stop();
    }
  });

  it('leaves due outcomes alone when disabled, until the clock is advanced', async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      let ran = false;
      emu.emulator.clock.schedule(0, () => {
        ran = true;
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect(ran).toBe(false);
      await emu.controls.advanceClock(0);
      expect(ran).toBe(true);
    } finally {
      await emu.stop();
    }
  });
});

describe('cli', () => {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

  it('prints where it listens and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, STRIPE_EMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`cli exited early (${code}): ${out}`)));
    });
    const stripe = new Stripe('sk_test_cli', {
      host: '127.0.0.1',
      port: Number(new URL(url).port),
      protocol: 'http',
      telemetry: false,
    });
    expect((await stripe.customers.create({ email: 'cli@example.com' })).id).toMatch(/^cus_/);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toContain('stopped');
  });

  it('accepts only registered keys with STRIPE_EMULATOR_KEYS=registered', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, STRIPE_EMULATOR_PORT: '0', STRIPE_EMULATOR_KEYS: 'registered' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`cli exited early (${code}): ${out}`)));
      });
      expect(out).toContain('registered keys only');
      const key = 'sk_test_cli_registered_only';
      const stripe = new Stripe(key, {
        host: '127.0.0.1',
        port: Number(new URL(url).port),
        protocol: 'http',
        telemetry: false,
        maxNetworkRetries: 0,
      });
      expect(await failure(stripe.customers.list())).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      await emulatorControls(url).registerKey(key);
      expect((await stripe.customers.list()).data).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses an unknown STRIPE_EMULATOR_KEYS value', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, STRIPE_EMULATOR_PORT: '0', STRIPE_EMULATOR_KEYS: 'some' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('STRIPE_EMULATOR_KEYS must be one of any, registered');
  });
});

describe('revoking a key', () => {
  it('answers every later request with that key with 401, and leaves other keys alone', async () => {
    const key = `sk_test_${Math.random().toString(36).slice(2)}revokeme`;
    const stripe = h.client({ key });
    const other = h.client();
    await stripe.customers.create({ email: 'before@example.com' });
    expect(await h.controls.revokeKey(key)).toEqual({ revoked: `sk_test_****${key.slice(-4)}` });

    const err = await failure(stripe.customers.list());
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err.statusCode).toBe(401);
    expect(err.message).toBe(`Invalid API Key provided: sk_test_****${key.slice(-4)}`);
    expect(err.message).not.toContain(key);
    await other.customers.create({ email: 'other@example.com' });
  });

  it('needs a key', async () => {
    await expect(h.controls.revokeKey('')).rejects.toThrow(EmulatorControlError);
  });
});

describe('registering a key in the default mode', () => {
  it('changes nothing: every well-formed key is already valid', async () => {
    const key = `sk_test_${Math.random().toString(36).slice(2)}anymode`;
    await h.client({ key }).customers.list();
    expect(await h.controls.registerKey(key)).toMatchObject({ mode: 'any' });
    expect((await h.controls.keys()).mode).toBe('any');
    await h.client({ key }).customers.list();
  });
});
