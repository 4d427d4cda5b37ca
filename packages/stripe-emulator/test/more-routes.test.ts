import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { customerWithCard, startReceiver, useEmulator } from './harness.js';

const h = useEmulator();

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error('expected a Stripe error');
  return err;
}

describe('less travelled routes', () => {
  it('updates a SetupIntent before confirming it', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'u@example.com' });
    const si = await stripe.setupIntents.create({});
    const updated = await stripe.setupIntents.update(si.id, {
      customer: customer.id,
      payment_method: 'pm_card_mastercard',
      metadata: { step: '2' },
    });
    expect(updated).toMatchObject({
      status: 'requires_confirmation',
      customer: customer.id,
      metadata: { step: '2' },
    });
    const confirmed = await stripe.setupIntents.confirm(si.id);
    expect(confirmed.status).toBe('succeeded');
    expect((await stripe.customers.listPaymentMethods(customer.id)).data[0]?.card?.brand).toBe('mastercard');
    const late = await failure(stripe.setupIntents.update(si.id, { payment_method: 'pm_card_visa' }));
    expect(late.code).toBe('setup_intent_unexpected_state');
  });

  it('updates session metadata, lists sessions and their (empty) line items', async () => {
    const stripe = h.client();
    const { customer } = await customerWithCard(stripe);
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'usd',
      customer: customer.id,
    });
    const updated = await stripe.checkout.sessions.update(session.id, { metadata: { lago: '1' } });
    expect(updated.metadata).toEqual({ lago: '1' });
    expect(
      (await stripe.checkout.sessions.list({ customer: customer.id, status: 'open' })).data.map((s) => s.id),
    ).toEqual([session.id]);
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items).toMatchObject({ object: 'list', data: [], has_more: false });
  });

  it('refuses to cancel a refund that does not require action', async () => {
    const stripe = h.client();
    const { customer, pm } = await customerWithCard(stripe);
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    const err = await failure(stripe.refunds.cancel(refund.id));
    expect(err.statusCode).toBe(400);
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('succeeded');
  });

  it('filters events by several types and by delivery success', async () => {
    const stripe = h.client();
    const receiver = await startReceiver();
    try {
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
      const c = await stripe.customers.create({ email: 'e@example.com' });
      await stripe.customers.update(c.id, { name: 'E' });
      await h.controls.waitForDeliveries();
      const both = await stripe.events.list({ types: ['customer.created', 'customer.updated'] });
      expect(both.data.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
      const delivered = await stripe.events.list({ delivery_success: true });
      expect(delivered.data.map((e) => e.type)).toContain('customer.created');
    } finally {
      await receiver.close();
    }
  });

  it('serves a 3D Secure challenge page that completes the payment from a form post', async () => {
    const stripe = h.client();
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const url = (pi.next_action!.use_stripe_sdk as { stripe_js: string }).stripe_js;
    expect(url).toBe(`${h.emu.url}/_emulator/authenticate/${pi.id}`);
    const page = await fetch(url);
    expect(await page.text()).toContain('<label><input type="radio" name="result" value="success"');
    const done = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'result=success',
    });
    expect(done.status).toBe(200);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
  });
});
