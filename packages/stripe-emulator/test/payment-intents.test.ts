import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { DELAYED_SETTLE_SECONDS, SETTLE_SECONDS } from '../src/index.js';
import { customerWithCard, customerWithMethod, useEmulator } from './harness.js';

const h = useEmulator();

async function offSession(stripe: Stripe, token: string, currency = 'usd', amount = 2500) {
  const { customer, pm } = await customerWithMethod(stripe, token);
  const params: Stripe.PaymentIntentCreateParams = {
    amount,
    currency,
    customer: customer.id,
    payment_method: pm.id,
    confirm: true,
    off_session: true,
    metadata: { invoice_id: 'inv_1' },
  };
  return { customer, pm, params };
}

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error('expected a Stripe error');
  return err;
}

describe('card payments', () => {
  it('charges a saved card off-session', async () => {
    const stripe = h.client();
    const { customer, pm, params } = await offSession(stripe, 'pm_card_visa');
    const pi = await stripe.paymentIntents.create({ ...params, expand: ['latest_charge'] });
    expect(pi).toMatchObject({
      status: 'succeeded',
      amount: 2500,
      amount_received: 2500,
      customer: customer.id,
      payment_method: pm.id,
      metadata: { invoice_id: 'inv_1' },
      last_payment_error: null,
    });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, amount: 2500, payment_intent: pi.id });
    const types = (await stripe.events.list()).data.map((e) => e.type).reverse();
    expect(types.slice(-3)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  it.each([
    ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
  ])('declines %s with %s / %s and keeps the PaymentIntent', async (token, code, decline) => {
    const stripe = h.client();
    const err = (await failure(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: token, confirm: true }),
    )) as Stripe.errors.StripeCardError;
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe(code);
    expect(err.decline_code).toBe(decline);
    const pi = await stripe.paymentIntents.retrieve(err.payment_intent!.id);
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.last_payment_error).toMatchObject({ type: 'card_error', code, decline_code: decline });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ status: 'failed', failure_code: code, paid: false });
  });

  it('lets pm_card_chargeCustomerFail attach, then fails the charge', async () => {
    const stripe = h.client();
    const { params } = await offSession(stripe, 'pm_card_chargeCustomerFail');
    const err = (await failure(stripe.paymentIntents.create(params))) as Stripe.errors.StripeCardError;
    expect(err.code).toBe('card_declined');
    expect(err.payment_intent?.status).toBe('requires_payment_method');
    const types = (await stripe.events.list({ limit: 2 })).data.map((e) => e.type);
    expect(types).toEqual(['payment_intent.payment_failed', 'charge.failed']);
  });

  it('fails off-session payments that need authentication', async () => {
    const stripe = h.client();
    const { params } = await offSession(stripe, 'pm_card_authenticationRequired');
    const err = (await failure(stripe.paymentIntents.create(params))) as Stripe.errors.StripeCardError;
    expect(err.code).toBe('authentication_required');
    expect(err.decline_code).toBe('authentication_required');
    expect(err.message).toBe('Your card was declined. This transaction requires authentication.');
    expect(err.payment_intent?.status).toBe('requires_payment_method');
  });

  it('an intent refused off-session for authentication can be confirmed again on-session, which asks for it', async () => {
    const stripe = h.client();
    const { params } = await offSession(stripe, 'pm_card_authenticationRequired');
    const err = (await failure(
      stripe.paymentIntents.create({ ...params, error_on_requires_action: true }),
    )) as Stripe.errors.StripeCardError;
    const id = err.payment_intent?.id ?? '';
    expect(err.code).toBe('authentication_required');

    // off_session and error_on_requires_action belong to one confirmation: omitted, the next one is on-session.
    const confirmed = await stripe.paymentIntents.confirm(id, {
      payment_method: params.payment_method as string,
      return_url: 'https://shop.example/return',
    });
    expect(confirmed.status).toBe('requires_action');
    expect(confirmed.next_action).toMatchObject({
      type: 'redirect_to_url',
      redirect_to_url: { return_url: 'https://shop.example/return' },
    });
    expect((await h.controls.authenticate(id, 'success')).object.status).toBe('succeeded');
  });

  it('asks for authentication on-session, and the test control completes or fails it', async () => {
    const stripe = h.client();
    const created = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    expect(created.status).toBe('requires_action');
    expect(created.next_action?.type).toBe('redirect_to_url');
    const done = await h.controls.authenticate(created.id, 'success');
    expect(done.object.status).toBe('succeeded');
    expect((await stripe.paymentIntents.retrieve(created.id)).status).toBe('succeeded');

    const second = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(second.next_action?.type).toBe('use_stripe_sdk');
    const requiresAction = await stripe.events.list({ type: 'payment_intent.requires_action' });
    expect(requiresAction.data.map((e) => (e.data.object as Stripe.PaymentIntent).id)).toEqual([
      second.id,
      created.id,
    ]);
    await h.controls.authenticate(second.id, 'fail');
    const failed = await stripe.paymentIntents.retrieve(second.id);
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error?.code).toBe('payment_intent_authentication_failure');
  });

  it('fails instead of requiring action with error_on_requires_action', async () => {
    const stripe = h.client();
    const err = (await failure(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        error_on_requires_action: true,
      }),
    )) as Stripe.errors.StripeCardError;
    expect(err.code).toBe('authentication_required');
    expect(err.payment_intent?.status).toBe('requires_payment_method');
  });

  it('charges pm_card_authenticationRequiredOnSetup off-session once set up', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'setup@example.com' });
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    expect(si.status).toBe('requires_action');
    await h.controls.authenticate(si.id, 'success');
    const done = await stripe.setupIntents.retrieve(si.id);
    expect(done.status).toBe('succeeded');
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: done.payment_method as string,
      confirm: true,
      off_session: true,
    });
    expect(pi.status).toBe('succeeded');
  });

  it('confirms, updates and cancels in separate steps', async () => {
    const stripe = h.client();
    const { customer, pm } = await customerWithCard(stripe);
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id });
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.latest_charge).toBeNull();
    const updated = await stripe.paymentIntents.update(pi.id, { amount: 1200, metadata: { a: 'b' } });
    expect(updated.amount).toBe(1200);
    const confirmed = await stripe.paymentIntents.confirm(pi.id, {
      payment_method: pm.id,
      off_session: true,
    });
    expect(confirmed.status).toBe('succeeded');
    const cannot = await failure(stripe.paymentIntents.cancel(pi.id));
    expect(cannot.code).toBe('payment_intent_unexpected_state');
    const other = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const canceled = await stripe.paymentIntents.cancel(other.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    const [event] = (await stripe.events.list({ type: 'payment_intent.canceled' })).data;
    expect((event!.data.object as Stripe.PaymentIntent).status).toBe('canceled');
  });

  it('retrieves, lists and updates charges', async () => {
    const stripe = h.client();
    const { customer, pm } = await customerWithCard(stripe);
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
      description: 'Invoice 7',
    });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string, { expand: ['payment_intent'] });
    expect((charge.payment_intent as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(charge).toMatchObject({ customer: customer.id, description: 'Invoice 7', payment_method: pm.id });
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
    expect((await stripe.charges.list({ payment_intent: pi.id })).data.map((c) => c.id)).toEqual([charge.id]);
    expect((await stripe.charges.list({ customer: 'cus_other' })).data).toHaveLength(0);
    const updated = await stripe.charges.update(charge.id, { metadata: { note: 'x' } });
    expect(updated.metadata).toEqual({ note: 'x' });
  });

  it.each([
    ['usd', 49, 'Amount must be at least $0.50 usd'],
    ['eur', 49, 'Amount must be at least €0.50 eur'],
    ['gbp', 29, 'Amount must be at least £0.30 gbp'],
    ['jpy', 49, 'Amount must be at least ¥50 jpy'],
    ['huf', 17499, 'Amount must be at least HUF 175.00 huf'],
    ['twd', 1_000, 'Amount must convert to at least 50 cents. NT$10.00 converts to approximately $0.31.'],
  ])('rejects %s amounts below the minimum (%d) in Stripe’s words', async (currency, amount, text) => {
    const stripe = h.client();
    const err = await failure(stripe.paymentIntents.create({ amount, currency }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('amount_too_small');
    expect(err.param).toBe('amount');
    expect(err.message).toBe(text);
    expect(err.doc_url).toBe('https://stripe.com/docs/error-codes/amount-too-small');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(0);
  });

  it('accepts a currency without its own minimum once it converts to 50 US cents', async () => {
    const stripe = h.client();
    const pi = await stripe.paymentIntents.create({ amount: 2_000, currency: 'twd' });
    expect(pi.amount).toBe(2_000);
  });

  it('filters allowed_payment_method_types by currency and rejects mismatched methods', async () => {
    const stripe = h.client();
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      allowed_payment_method_types: ['card', 'sepa_debit', 'us_bank_account'],
    });
    expect(pi.payment_method_types).toEqual(['card', 'us_bank_account']);
    const customer = await stripe.customers.create({ email: 'c@example.com' });
    for (const [token, currency] of [
      ['pm_success_at', 'usd'],
      ['pm_usBankAccount_success', 'eur'],
      ['pm_bacsDebit_success', 'eur'],
    ] as const) {
      const pm = await stripe.paymentMethods.attach(token, { customer: customer.id });
      const err = await failure(
        stripe.paymentIntents.create({
          amount: 1000,
          currency,
          customer: customer.id,
          payment_method: pm.id,
          confirm: true,
          off_session: true,
        }),
      );
      expect(err.code).toBe('payment_method_currency_mismatch');
    }
    const cardOnly = await failure(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'eur',
        allowed_payment_method_types: ['card'],
        payment_method: 'pm_success_at',
      }),
    );
    expect(cardOnly.code).toBe('payment_intent_incompatible_payment_method');
    const methods = await stripe.paymentMethods.list();
    expect(methods.data.every((m) => m.customer === customer.id)).toBe(true);
  });

  it('requires the customer of a saved method', async () => {
    const stripe = h.client();
    const { pm } = await customerWithCard(stripe);
    const err = await failure(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: pm.id, confirm: true }),
    );
    expect(err.param).toBe('customer');
  });
});

describe('bank debits settle on the emulator clock', () => {
  it.each([
    ['pm_success_at', 'eur', 'succeeded', SETTLE_SECONDS],
    ['pm_failed_at', 'eur', 'requires_payment_method', SETTLE_SECONDS],
    ['pm_successDelayed_at', 'eur', 'succeeded', DELAYED_SETTLE_SECONDS],
    ['pm_failedDelayed_at', 'eur', 'requires_payment_method', DELAYED_SETTLE_SECONDS],
    ['pm_usBankAccount_success', 'usd', 'succeeded', SETTLE_SECONDS],
    ['pm_usBankAccount_insufficientFunds', 'usd', 'requires_payment_method', SETTLE_SECONDS],
    ['pm_bacsDebit_success', 'gbp', 'succeeded', SETTLE_SECONDS],
    ['pm_bacsDebit_insufficientFunds', 'gbp', 'requires_payment_method', SETTLE_SECONDS],
  ])('%s goes processing, then %s', async (token, currency, final, delay) => {
    const stripe = h.client();
    const { params } = await offSession(stripe, token, currency);
    const pi = await stripe.paymentIntents.create(params);
    expect(pi.status).toBe('processing');
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).status).toBe('pending');
    if (delay > SETTLE_SECONDS) {
      await h.controls.advanceClock(SETTLE_SECONDS);
      expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('processing');
    }
    await h.controls.advanceClock(delay);
    const settled = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(settled.status).toBe(final);
    const charge = settled.latest_charge as Stripe.Charge;
    expect(charge.status).toBe(final === 'succeeded' ? 'succeeded' : 'failed');
    if (final !== 'succeeded') expect(settled.last_payment_error?.code).toBeTruthy();
    const types = (await stripe.events.list({ limit: 4 })).data.map((e) => e.type);
    expect(types[0]).toBe(
      final === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
    );
    expect(types).toContain('payment_intent.processing');
  });

  it('keeps pm_usBankAccount_processing processing', async () => {
    const stripe = h.client();
    const { params } = await offSession(stripe, 'pm_usBankAccount_processing');
    const pi = await stripe.paymentIntents.create(params);
    await h.controls.advanceClock(DELAYED_SETTLE_SECONDS * 10);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('processing');
  });
});
