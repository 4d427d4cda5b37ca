/**
 * SEPA, ACH and Bacs debits need the mandate the customer accepted when the account was set up:
 * Checkout (or `mandate_data`) creates it, a debit goes out under it, and a debit without one is
 * refused with Stripe's 400.
 */
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SETTLE_SECONDS } from '../src/index.js';
import { MANDATE_REQUIRED_MESSAGE } from '../src/resources/mandates.js';
import { customerWithBankAccount, OFFLINE_ACCEPTANCE, useEmulator } from './harness.js';

const h = useEmulator();

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error(`expected a Stripe error, got ${err}`);
  return err;
}

const BANK_DEBITS = [
  ['sepa_debit', 'eur', 'sepa_success', 'pm_success_at'],
  ['us_bank_account', 'usd', 'ach_success', 'pm_usBankAccount_success'],
  ['bacs_debit', 'gbp', 'bacs_success', 'pm_bacsDebit_success'],
] as const;

/** A customer who saved a bank account on the hosted Checkout page, from a browser. */
async function savedThroughCheckout(stripe: Stripe, type: string, currency: string, instrument: string) {
  const customer = await stripe.customers.create({ email: 'checkout@example.com' });
  const session = await stripe.checkout.sessions.create({
    mode: 'setup',
    customer: customer.id,
    currency,
    allowed_payment_method_types: [type as 'sepa_debit'],
    success_url: 'https://merchant.example/done',
  });
  const page = await (await fetch(session.url as string)).text();
  expect(page).toContain('accepts a mandate');
  const submitted = await fetch(session.url as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Browser/1.0' },
    body: new URLSearchParams({ instrument }).toString(),
    redirect: 'manual',
  });
  expect(submitted.status).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
  const si = done.setup_intent as Stripe.SetupIntent;
  return { customer, si, pmId: si.payment_method as string };
}

describe('mandates accepted at setup', () => {
  it.each(BANK_DEBITS)(
    'Checkout saving a %s account creates an active multi-use mandate the debit goes out under',
    async (type, currency, instrument) => {
      const stripe = h.client();
      const { customer, si, pmId } = await savedThroughCheckout(stripe, type, currency, instrument);
      expect(si.mandate).toMatch(/^mandate_/);
      const mandate = await stripe.mandates.retrieve(si.mandate as string);
      expect(mandate).toMatchObject({
        id: si.mandate,
        object: 'mandate',
        status: 'active',
        type: 'multi_use',
        multi_use: {},
        payment_method: pmId,
        livemode: false,
        payment_method_details: { type },
        customer_acceptance: { type: 'online', online: { user_agent: 'Browser/1.0' } },
      });
      expect(mandate.customer_acceptance.online?.ip_address).toMatch(/127\.0\.0\.1/);
      const expanded = await stripe.setupIntents.retrieve(si.id, { expand: ['mandate'] });
      expect((expanded.mandate as Stripe.Mandate).id).toBe(mandate.id);

      // Off-session, naming only the customer and the method, as Stripe's guide charges later.
      const pi = await stripe.paymentIntents.create({
        amount: 2500,
        currency,
        customer: customer.id,
        payment_method: pmId,
        confirm: true,
        off_session: true,
      });
      expect(pi.status).toBe('processing');
      const charge = await stripe.charges.retrieve(pi.latest_charge as string);
      expect(
        (charge.payment_method_details as unknown as Record<string, { mandate?: string }>)[type]?.mandate,
      ).toBe(mandate.id);
      await h.controls.advanceClock(SETTLE_SECONDS);
      expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
      // Multi-use: the next month's debit goes out under the same mandate.
      const next = await stripe.paymentIntents.create({
        amount: 1000,
        currency,
        customer: customer.id,
        payment_method: pmId,
        confirm: true,
        off_session: true,
      });
      expect(next.status).toBe('processing');
      expect((await stripe.mandates.retrieve(mandate.id)).status).toBe('active');
    },
  );

  it('serves the page a mandate links to, without an API key', async () => {
    const stripe = h.client();
    const { si } = await savedThroughCheckout(stripe, 'sepa_debit', 'eur', 'sepa_success');
    const mandate = await stripe.mandates.retrieve(si.mandate as string);
    const url = mandate.payment_method_details.sepa_debit?.url as string;
    expect(url.startsWith(h.emu.url)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(mandate.id);
    const missing = await stripe.mandates.retrieve('mandate_nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((missing as Stripe.errors.StripeError).statusCode).toBe(404);
  });

  it('creates the mandate of a SetupIntent confirmed through the API only with mandate_data', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'api@example.com' });
    const missing = await failure(
      stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_success_at', confirm: true }),
    );
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'mandate_data' });
    expect((await stripe.setupIntents.list({ customer: customer.id })).data).toEqual([]);
    expect((await stripe.paymentMethods.list({ customer: customer.id })).data).toEqual([]);

    const halfOnline = await failure(
      stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_success_at',
        confirm: true,
        mandate_data: {
          customer_acceptance: { type: 'online', online: { ip_address: '203.0.113.9' } as never },
        },
      }),
    );
    expect(halfOnline).toMatchObject({
      code: 'parameter_missing',
      param: 'mandate_data[customer_acceptance][online][user_agent]',
    });
    const notConfirming = await failure(
      stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_success_at',
        mandate_data: OFFLINE_ACCEPTANCE,
      }),
    );
    expect(notConfirming.param).toBe('mandate_data');

    const si = await stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_success_at' });
    expect(await failure(stripe.setupIntents.confirm(si.id))).toMatchObject({
      code: 'parameter_missing',
      param: 'mandate_data',
    });
    const confirmed = await stripe.setupIntents.confirm(si.id, {
      mandate_data: {
        customer_acceptance: {
          type: 'online',
          online: { ip_address: '203.0.113.9', user_agent: 'Mozilla/5.0' },
        },
      },
    });
    expect(confirmed.status).toBe('succeeded');
    expect(await stripe.mandates.retrieve(confirmed.mandate as string)).toMatchObject({
      status: 'active',
      customer_acceptance: {
        type: 'online',
        online: { ip_address: '203.0.113.9', user_agent: 'Mozilla/5.0' },
      },
    });
    // Cards are set up without a mandate.
    const card = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(card).toMatchObject({ status: 'succeeded', mandate: null });
  });
});

describe('a debit without a mandate', () => {
  it.each(BANK_DEBITS)(
    'refuses a %s method attached through the API with 400, leaving the intent requires_confirmation',
    async (type, currency, _instrument, token) => {
      const stripe = h.client();
      const customer = await stripe.customers.create({ email: 'attached@example.com' });
      const pm = await stripe.paymentMethods.attach(token, { customer: customer.id });
      expect(pm.type).toBe(type);
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 2500,
        currency,
        customer: customer.id,
        payment_method: pm.id,
        confirm: true,
        off_session: true,
      };
      const err = await failure(stripe.paymentIntents.create(params, { idempotencyKey: `debit-${type}` }));
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err.statusCode).toBe(400);
      expect(err.rawType).toBe('invalid_request_error');
      expect(err.message).toBe(MANDATE_REQUIRED_MESSAGE);
      const embedded = err.payment_intent as Stripe.PaymentIntent;
      expect(embedded).toMatchObject({
        status: 'requires_confirmation',
        payment_method: pm.id,
        latest_charge: null,
      });
      expect((await stripe.charges.list({ customer: customer.id })).data).toEqual([]);
      expect((await stripe.paymentIntents.retrieve(embedded.id)).status).toBe('requires_confirmation');

      // The intent was created, so a retry with the same key replays the refusal instead of
      // creating a second intent.
      const replay = await failure(stripe.paymentIntents.create(params, { idempotencyKey: `debit-${type}` }));
      expect(replay.message).toBe(MANDATE_REQUIRED_MESSAGE);
      expect(replay.headers?.['idempotent-replayed']).toBe('true');
      expect((await stripe.paymentIntents.list({ customer: customer.id })).data.map((p) => p.id)).toEqual([
        embedded.id,
      ]);
    },
  );

  it('refuses on-session confirmations too, and a refused intent goes ahead once acceptance is given', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'later@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_success_at', { customer: customer.id });
    const pi = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      payment_method: pm.id,
    });
    expect((await failure(stripe.paymentIntents.confirm(pi.id))).message).toBe(MANDATE_REQUIRED_MESSAGE);
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { mandate_data: OFFLINE_ACCEPTANCE });
    expect(confirmed.status).toBe('processing');
    const charge = await stripe.charges.retrieve(confirmed.latest_charge as string);
    const mandateId = charge.payment_method_details?.sepa_debit?.mandate as string;
    // Accepted for this payment only: the mandate is spent by it.
    const mandate = await stripe.mandates.retrieve(mandateId);
    expect(mandate).toMatchObject({
      type: 'single_use',
      single_use: { amount: 1500, currency: 'eur' },
      status: 'inactive',
      customer_acceptance: { type: 'offline' },
    });
    const updated = (await stripe.events.list({ type: 'mandate.updated' })).data;
    expect(updated.map((e) => (e.data.object as Stripe.Mandate).id)).toEqual([mandateId]);
    expect(updated[0]?.data.previous_attributes).toEqual({ status: 'active' });
    const again = await failure(
      stripe.paymentIntents.create({
        amount: 1500,
        currency: 'eur',
        customer: customer.id,
        payment_method: pm.id,
        confirm: true,
        off_session: true,
      }),
    );
    expect(again.message).toBe(MANDATE_REQUIRED_MESSAGE);
  });

  it('takes a named mandate only if it is an active one of the method charged', async () => {
    const stripe = h.client();
    const a = await customerWithBankAccount(stripe, 'pm_success_at');
    const b = await customerWithBankAccount(stripe, 'pm_success_at');
    const base = { amount: 1000, currency: 'eur', confirm: true, off_session: true } as const;
    const named = await stripe.paymentIntents.create({
      ...base,
      customer: a.customer.id,
      payment_method: a.pm.id,
      mandate: a.mandate,
    });
    expect(named.status).toBe('processing');
    const foreign = await failure(
      stripe.paymentIntents.create({
        ...base,
        customer: a.customer.id,
        payment_method: a.pm.id,
        mandate: b.mandate,
      }),
    );
    expect(foreign).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_mandate_invalid',
      param: 'mandate',
    });
    const unknown = await failure(
      stripe.paymentIntents.create({
        ...base,
        customer: a.customer.id,
        payment_method: a.pm.id,
        mandate: 'mandate_x',
      }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'mandate' });
    const unconfirmed = await failure(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'eur',
        customer: a.customer.id,
        payment_method: a.pm.id,
        mandate: a.mandate,
      }),
    );
    expect(unconfirmed.message).toBe(
      'The parameter `mandate` cannot be passed when creating a PaymentIntent unless `confirm` is set to true',
    );
    // Refused before anything was created.
    expect((await stripe.paymentIntents.list({ customer: a.customer.id })).data.map((p) => p.id)).toEqual([
      named.id,
    ]);
  });

  it('charges cards without any mandate', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'card@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    expect(pi.status).toBe('succeeded');
  });
});
