import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { useEmulator } from './harness.js';

const h = useEmulator();

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error('expected a Stripe error');
  return err;
}

async function submit(url: string, instrument: string) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `instrument=${instrument}`,
  });
}

describe('checkout sessions in setup mode', () => {
  it('creates a hosted session on the emulator that expires after 24 hours by default', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'co@example.com' });
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'eur',
      success_url: 'https://merchant.example/done?session={CHECKOUT_SESSION_ID}',
      allowed_payment_method_types: ['card', 'sepa_debit', 'us_bank_account'],
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'setup',
      status: 'open',
      customer: customer.id,
      payment_status: 'no_payment_required',
      payment_method_types: ['card', 'sepa_debit'],
      setup_intent: null,
      ui_mode: 'hosted_page',
    });
    expect(session.url).toBe(`${h.emu.url}/checkout/${session.id}`);
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect((await stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
  });

  it('uses publicUrl for hosted links when given', async () => {
    const other = await startEmulator({ port: 0, publicUrl: 'http://payrail.test:8080/' });
    try {
      const stripe = new Stripe('sk_test_public', {
        host: '127.0.0.1',
        port: other.port,
        protocol: 'http',
        telemetry: false,
      });
      const session = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd' });
      expect(session.url).toBe(`http://payrail.test:8080/checkout/${session.id}`);
      expect((await other.controls.completeCheckout(session.id)).ok).toBe(true);
    } finally {
      await other.stop();
    }
  });

  it('validates its input', async () => {
    const stripe = h.client();
    expect((await failure(stripe.checkout.sessions.create({ mode: 'setup' }))).param).toBe('currency');
    expect(
      (await failure(stripe.checkout.sessions.create({} as Stripe.Checkout.SessionCreateParams))).code,
    ).toBe('parameter_missing');
    const now = Math.floor(Date.now() / 1000);
    const tooLong = await failure(
      stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd', expires_at: now + 25 * 3600 }),
    );
    expect(tooLong.param).toBe('expires_at');
    const missingCustomer = await failure(
      stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd', customer: 'cus_missing' }),
    );
    expect(missingCustomer.code).toBe('resource_missing');
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(0);
  });

  it('serves an accessible form listing only the session methods', async () => {
    const stripe = h.client();
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'eur',
      allowed_payment_method_types: ['sepa_debit'],
    });
    const res = await fetch(session.url!);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('(IBAN DE89 3704 0044 0532 0130 00)');
    expect(html).toContain('<label><input type="radio" name="instrument" value="sepa_success"');
    expect(html).toContain('<legend>SEPA Direct Debit (EUR)</legend>');
    expect(html).not.toContain('value="card_visa"');
    expect(html).not.toContain('<script');
  });

  it('completes through a plain form POST: SetupIntent, attached method, events, redirect', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'co@example.com' });
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'usd',
      success_url: 'https://merchant.example/done?session={CHECKOUT_SESSION_ID}',
      setup_intent_data: { metadata: { lago: 'x' } },
    });
    const res = await submit(session.url!, 'card_visa');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`https://merchant.example/done?session=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    expect(done.status).toBe('complete');
    expect(done.url).toBeNull();
    expect(done.customer_details?.email).toBe('co@example.com');
    const si = done.setup_intent as Stripe.SetupIntent;
    expect(si).toMatchObject({ status: 'succeeded', customer: customer.id, metadata: { lago: 'x' } });
    const pms = await stripe.customers.listPaymentMethods(customer.id);
    expect(pms.data.map((p) => p.id)).toEqual([si.payment_method]);
    const types = (await stripe.events.list()).data.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual([
      'checkout.session.completed',
      'setup_intent.succeeded',
      'payment_method.attached',
    ]);
    const page = await fetch(session.url ?? `${h.emu.url}/checkout/${session.id}`);
    expect(await page.text()).toContain('already been saved');
    const confirmAgain = await failure(stripe.setupIntents.confirm(si.id));
    expect(confirmAgain.statusCode).toBe(400);
  });

  it('shows a done page when the session has no success_url', async () => {
    const stripe = h.client();
    const session = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'gbp' });
    const res = await submit(session.url!, 'bacs_success');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Payment details saved');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  });

  it('keeps the session open when the card is declined, or the method is not offered', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'co@example.com' });
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'usd',
    });
    const declined = await submit(session.url!, 'card_declined');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    const wrongMethod = await submit(session.url!, 'sepa_success');
    expect(wrongMethod.status).toBe(400);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect((await stripe.setupIntents.list()).data[0]?.status).toBe('requires_payment_method');
    const types = (await stripe.events.list()).data.map((e) => e.type);
    expect(types).toContain('setup_intent.setup_failed');
    const ok = await h.controls.completeCheckout(session.id, { instrument: 'card_charge_customer_fail' });
    expect(ok.ok).toBe(true);
    expect((await stripe.customers.listPaymentMethods(customer.id)).data[0]?.card?.last4).toBe('0341');
  });

  it('expires through the API and on the clock, then shows an expired page', async () => {
    const stripe = h.client();
    const a = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd' });
    const expired = await stripe.checkout.sessions.expire(a.id);
    expect(expired).toMatchObject({ status: 'expired', url: null });
    expect((await failure(stripe.checkout.sessions.expire(a.id))).statusCode).toBe(400);
    expect((await fetch(`${h.emu.url}/checkout/${a.id}`)).status).toBe(410);

    const b = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd' });
    await h.controls.advanceClock(24 * 3600);
    expect((await stripe.checkout.sessions.retrieve(b.id)).status).toBe('expired');
    const page = await fetch(b.url!);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
    const types = (await stripe.events.list({ type: 'checkout.session.expired' })).data;
    expect(types.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual([b.id, a.id]);
    expect(types[0]!.request?.id).toBeNull();
  });
});

describe('setup intents', () => {
  it('creates, confirms, lists and cancels', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'si@example.com' });
    const si = await stripe.setupIntents.create({ customer: customer.id, metadata: { a: '1' } });
    expect(si).toMatchObject({ status: 'requires_payment_method', usage: 'off_session' });
    expect(si.client_secret).toMatch(new RegExp(`^${si.id}_secret_`));
    const confirmed = await stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    const pm = await stripe.paymentMethods.retrieve(confirmed.payment_method as string);
    expect(pm.customer).toBe(customer.id);
    const other = await stripe.setupIntents.create({ customer: customer.id });
    const canceled = await stripe.setupIntents.cancel(other.id, { cancellation_reason: 'abandoned' });
    expect(canceled.status).toBe('canceled');
    expect((await stripe.setupIntents.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([
      other.id,
      si.id,
    ]);
  });

  it('fails declined cards with setup_intent.setup_failed', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'si@example.com' });
    const err = (await failure(
      stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_card_visa_chargeDeclined',
        confirm: true,
      }),
    )) as Stripe.errors.StripeCardError;
    expect(err.statusCode).toBe(402);
    expect(err.setup_intent?.status).toBe('requires_payment_method');
    expect(err.setup_intent?.last_setup_error?.code).toBe('card_declined');
  });
});
