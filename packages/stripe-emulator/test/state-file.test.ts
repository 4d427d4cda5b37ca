/** A state file makes a restarted emulator the same Stripe account: same ids, secrets, keys and clock. */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningEmulator, SETTLE_SECONDS, startEmulator } from '../src/index.js';
import { STATE_VERSION } from '../src/persistence/snapshot.js';
import {
  customerWithBankAccount,
  customerWithCard,
  type Receiver,
  startReceiver,
  verified,
} from './harness.js';

let dir: string;
const running: RunningEmulator[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stripe-emulator-state-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(stateFile: string, keys: 'any' | 'registered' = 'any'): Promise<RunningEmulator> {
  const emu = await startEmulator({
    port: 0,
    stateFile,
    keys,
    webhookRetry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
  });
  running.push(emu);
  return emu;
}

async function stop(emu: RunningEmulator): Promise<void> {
  running.splice(running.indexOf(emu), 1);
  await emu.stop();
}

function client(emu: RunningEmulator, key: string): Stripe {
  return new Stripe(key, {
    host: '127.0.0.1',
    port: emu.port,
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 0,
  });
}

const newKey = () => `sk_test_${randomUUID().replace(/-/g, '')}`;
const ids = (list: { data: { id: string }[] }) => list.data.map((x) => x.id);

describe('restart on the same state file', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('keeps objects, list order, webhook secrets, idempotency keys, the clock and pending settlements', async () => {
    const file = join(dir, 'restart', 'state.json');
    const key = newKey();
    const first = await start(file);
    const before = client(first, key);

    const endpoint = await before.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['*'],
      api_version: Stripe.API_VERSION,
    });
    const secret = endpoint.secret as string;
    const { customer, pm } = await customerWithCard(before);
    const others = [
      await before.customers.create({ email: 'b@example.com' }),
      await before.customers.create({ email: 'c@example.com' }),
    ];
    const session = await before.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'eur',
      success_url: 'https://merchant.example/done',
      allowed_payment_method_types: ['card', 'sepa_debit'],
    });
    const params: Stripe.PaymentIntentCreateParams = {
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    };
    const paid = await before.paymentIntents.create(params, { idempotencyKey: 'invoice-1-attempt-1' });
    expect(paid.status).toBe('succeeded');
    const sepa = await customerWithBankAccount(before, 'pm_success_at');
    const debit = await before.paymentIntents.create({
      amount: 1200,
      currency: 'eur',
      customer: sepa.customer.id,
      payment_method: sepa.pm.id,
      confirm: true,
      off_session: true,
    });
    expect(debit.status).toBe('processing');
    await first.controls.advanceClock(7);
    await first.controls.waitForDeliveries();
    const customersBefore = ids(await before.customers.list({ limit: 100 }));
    const eventsBefore = ids(await before.events.list({ limit: 100 }));
    const pmsBefore = ids(await before.paymentMethods.list({ customer: customer.id }));
    await stop(first);

    const second = await start(file);
    const after = client(second, key);
    expect(ids(await after.customers.list({ limit: 100 }))).toEqual(customersBefore);
    expect(customersBefore).toEqual([sepa.customer.id, ...others.map((c) => c.id).reverse(), customer.id]);
    expect(ids(await after.events.list({ limit: 100 }))).toEqual(eventsBefore);
    expect(ids(await after.paymentMethods.list({ customer: customer.id }))).toEqual(pmsBefore);
    expect(await after.customers.retrieve(customer.id)).toMatchObject({
      id: customer.id,
      email: 'ada@example.com',
    });
    expect(await after.paymentMethods.retrieve(pm.id)).toMatchObject({ id: pm.id, customer: customer.id });
    expect(await after.checkout.sessions.retrieve(session.id)).toMatchObject({
      id: session.id,
      status: 'open',
    });
    expect(await after.paymentIntents.retrieve(paid.id)).toMatchObject({ status: 'succeeded', amount: 2500 });
    expect(await after.webhookEndpoints.retrieve(endpoint.id)).toMatchObject({ status: 'enabled' });
    expect((await second.controls.clock()).offsetSeconds).toBe(7);

    // The hosted page and test controls find the session without an API key.
    expect((await fetch(`${second.url}/checkout/${session.id}`)).status).toBe(200);

    const replay = await after.paymentIntents.create(params, { idempotencyKey: 'invoice-1-attempt-1' });
    expect(replay.id).toBe(paid.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(ids(await after.paymentIntents.list({ customer: customer.id }))).toEqual([paid.id]);

    const ran = await second.controls.advanceClock(SETTLE_SECONDS);
    expect(ran.ran).toBeGreaterThanOrEqual(1);
    expect(await after.paymentIntents.retrieve(debit.id)).toMatchObject({ status: 'succeeded' });

    const deliveredBefore = receiver.received.length;
    const late = await after.customers.create({ email: 'late@example.com' });
    await second.controls.waitForDeliveries();
    const fresh = verified(after, receiver, secret).slice(deliveredBefore);
    expect(fresh.map((e) => e.type)).toEqual(
      expect.arrayContaining(['payment_intent.succeeded', 'customer.created']),
    );
    const created = fresh.filter((e) => e.type === 'customer.created').map((e) => e.data.object);
    expect(created).toEqual([expect.objectContaining({ id: late.id })]);
    // The mandate the account was set up under is still there, and the next debit uses it.
    expect(await after.mandates.retrieve(sepa.mandate)).toMatchObject({
      status: 'active',
      payment_method: sepa.pm.id,
    });
    const nextDebit = await after.paymentIntents.create({
      amount: 800,
      currency: 'eur',
      customer: sepa.customer.id,
      payment_method: sepa.pm.id,
      confirm: true,
      off_session: true,
    });
    expect(nextDebit.status).toBe('processing');
  });

  it('keeps each account apart and stores only a hash of the secret key', async () => {
    const file = join(dir, 'accounts.json');
    const [keyA, keyB] = [newKey(), newKey()];
    const first = await start(file);
    const a = await client(first, keyA).customers.create({ name: 'A' });
    await client(first, keyB).customers.create({ name: 'B' });
    await stop(first);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(a.id);
    expect(text).not.toContain(keyA);
    expect(text).not.toContain(keyB);

    const second = await start(file);
    expect(ids(await client(second, keyA).customers.list())).toEqual([a.id]);
    const missing = await client(second, keyB)
      .customers.retrieve(a.id)
      .catch((e: unknown) => e);
    expect((missing as Stripe.errors.StripeError).code).toBe('resource_missing');
  });

  it('keeps registered and revoked keys, as hashes only', async () => {
    const file = join(dir, 'keys.json');
    const [known, revoked, unknown] = [newKey(), newKey(), newKey()];
    const first = await start(file, 'registered');
    await first.controls.registerKey(known);
    await first.controls.registerKey(revoked);
    const c = await client(first, known).customers.create({ name: 'known' });
    await client(first, revoked).customers.list();
    await first.controls.revokeKey(revoked);
    await stop(first);
    const text = await readFile(file, 'utf8');
    for (const key of [known, revoked]) expect(text).not.toContain(key);

    const second = await start(file, 'registered');
    expect(ids(await client(second, known).customers.list())).toEqual([c.id]);
    for (const key of [revoked, unknown]) {
      const err = await client(second, key)
        .customers.list()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    }
    await stop(second);

    // A key revoked while every key was valid stays revoked after a restart too.
    const third = await start(file);
    const err = await client(third, revoked)
      .customers.list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((await client(third, unknown).customers.list()).data).toEqual([]);
  });

  it('upgrades a version 1 file: bank accounts set up before mandates existed can still be debited', async () => {
    const file = join(dir, 'version-1.json');
    const key = newKey();
    const first = await start(file);
    const sepa = await customerWithBankAccount(client(first, key), 'pm_success_at');
    await first.controls.revokeKey(newKey());
    await stop(first);
    // What version 1 wrote: the same accounts, without mandate objects or key lists.
    const doc = JSON.parse(await readFile(file, 'utf8')) as {
      version: number;
      keys?: unknown;
      accounts: Record<string, unknown>[];
    };
    doc.version = 1;
    delete doc.keys;
    for (const account of doc.accounts) delete account.mandates;
    await writeFile(file, JSON.stringify(doc));

    const second = await start(file);
    const after = client(second, key);
    expect(await after.mandates.retrieve(sepa.mandate)).toMatchObject({
      status: 'active',
      type: 'multi_use',
      payment_method: sepa.pm.id,
    });
    const debit = await after.paymentIntents.create({
      amount: 1200,
      currency: 'eur',
      customer: sepa.customer.id,
      payment_method: sepa.pm.id,
      confirm: true,
      off_session: true,
    });
    expect(debit.status).toBe('processing');
    await stop(second);
    expect((JSON.parse(await readFile(file, 'utf8')) as { version: number }).version).toBe(STATE_VERSION);
  });

  it('keeps a payment page with its line items, and reads a file saved before pages had them', async () => {
    const file = join(dir, 'payment-page.json');
    const key = newKey();
    const first = await start(file);
    const session = await client(first, key).checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { quantity: 2, price_data: { currency: 'usd', unit_amount: 700, product_data: { name: 'Seat' } } },
      ],
    });
    await stop(first);

    const second = await start(file);
    const items = await client(second, key).checkout.sessions.listLineItems(session.id);
    expect(items.data.map((i) => [i.description, i.quantity, i.amount_total])).toEqual([['Seat', 2, 1_400]]);
    expect((await second.controls.completeCheckout(session.id)).ok).toBe(true);
    await stop(second);

    // A file written before `sessionLineItems` existed still loads (the map is simply empty).
    const older = JSON.parse(await readFile(file, 'utf8')) as { accounts: Record<string, unknown>[] };
    for (const account of older.accounts) delete account.sessionLineItems;
    await writeFile(file, JSON.stringify(older));
    const third = await start(file);
    expect((await client(third, key).checkout.sessions.retrieve(session.id)).status).toBe('complete');
    expect((await client(third, key).checkout.sessions.listLineItems(session.id)).data).toEqual([]);
  });

  it('keeps cash balances and a pending boleto voucher, and reads a file saved before cash balances', async () => {
    const file = join(dir, 'cash-balance.json');
    const key = newKey();
    const first = await start(file);
    const stripe = client(first, key);
    const customer = await stripe.customers.create({ email: 'cliente@example.com' });
    await stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 3_000, currency: 'usd' });
    const pm = await stripe.paymentMethods.create({
      type: 'boleto',
      boleto: { tax_id: '00000000000' },
      billing_details: {
        name: 'Cliente',
        email: 'cliente@example.com',
        address: { line1: 'Rua 1', city: 'São Paulo', postal_code: '01000-000', country: 'BR' },
      },
    });
    const voucher = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'brl',
      payment_method: pm.id,
      allowed_payment_method_types: ['boleto'],
      confirm: true,
    });
    expect(voucher.status).toBe('requires_action');
    await stop(first);

    const second = await start(file);
    const again = client(second, key);
    expect((await again.customers.retrieveCashBalance(customer.id)).available).toEqual({ usd: 3_000 });
    await second.controls.advanceClock(180);
    expect((await again.paymentIntents.retrieve(voucher.id)).status).toBe('succeeded');
    await stop(second);

    const older = JSON.parse(await readFile(file, 'utf8')) as { accounts: Record<string, unknown>[] };
    for (const account of older.accounts) delete account.cashBalances;
    await writeFile(file, JSON.stringify(older));
    const third = await start(file);
    expect((await client(third, key).customers.retrieveCashBalance(customer.id)).available).toEqual({});
  });

  it('forgets everything after reset()', async () => {
    const file = join(dir, 'reset.json');
    const key = newKey();
    const first = await start(file);
    const c = await client(first, key).customers.create({ name: 'gone' });
    await first.controls.advanceClock(30);
    await first.controls.reset();
    await stop(first);

    const second = await start(file);
    const missing = await client(second, key)
      .customers.retrieve(c.id)
      .catch((e: unknown) => e);
    expect((missing as Stripe.errors.StripeError).code).toBe('resource_missing');
    expect((await second.controls.clock()).offsetSeconds).toBe(0);
  });
});

describe('saving without stop()', () => {
  it('writes the state shortly after a change, so a crash loses little', async () => {
    const file = join(dir, 'crash.json');
    const key = newKey();
    const emu = await start(file);
    const customer = await client(emu, key).customers.create({ email: 'crash@example.com' });
    await vi.waitFor(
      async () => {
        expect(await readFile(file, 'utf8').catch(() => '')).toContain(customer.id);
      },
      { timeout: 15_000, interval: 100 },
    );
    // A second emulator on a copy stands in for a restart after a crash: the first never stopped.
    const copy = join(dir, 'crash-copy.json');
    await copyFile(file, copy);
    const restarted = await start(copy);
    expect(await client(restarted, key).customers.retrieve(customer.id)).toMatchObject({
      email: 'crash@example.com',
    });
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/\.tmp-/));
  });
});

describe('unusable state files', () => {
  it.each([
    ['not JSON', '{"format": "payrail-stripe-emu', /JSON/],
    [
      'another version',
      JSON.stringify({ format: 'payrail-stripe-emulator-state', version: 999, accounts: [] }),
      /version 999 is not supported/,
    ],
    ['another format', JSON.stringify({ hello: 'world' }), /format/],
    [
      'a malformed account',
      JSON.stringify({
        format: 'payrail-stripe-emulator-state',
        version: 1,
        clock: { offsetSeconds: 0, pending: [] },
        accounts: [{ id: 'acct_1', customers: 'oops' }],
      }),
      /accounts\[0\]\.customers/,
    ],
  ])('moves %s aside and starts empty', async (name, content, reason) => {
    const file = join(dir, `bad-${name.replace(/ /g, '-')}.json`);
    await writeFile(file, content);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let emu: RunningEmulator;
    try {
      emu = await start(file);
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(reason));
    } finally {
      errors.mockRestore();
    }
    const aside = (await readdir(dir)).filter((f) =>
      f.startsWith(`bad-${name.replace(/ /g, '-')}.json.corrupt-`),
    );
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0] as string), 'utf8')).toBe(content);
    const key = newKey();
    expect((await client(emu, key).customers.list()).data).toEqual([]);
    const c = await client(emu, key).customers.create({ name: 'after' });
    await stop(emu);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number };
    expect(saved.version).toBe(STATE_VERSION);
    expect(JSON.stringify(saved)).toContain(c.id);
  });
});
