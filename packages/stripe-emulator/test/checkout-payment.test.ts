import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { startReceiver, useEmulator, verified } from './harness.js';

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

/** A one-line payment page for 49.99 EUR, with metadata on the session and on its future intent. */
async function paymentPage(stripe: Stripe, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  const customer = await stripe.customers.create({ email: 'payer@example.com', name: 'Payer' });
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    customer: customer.id,
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'eur', unit_amount: 4_999, product_data: { name: 'ACME-001-002' } },
      },
    ],
    allowed_payment_method_types: ['card', 'sepa_debit'],
    metadata: { lago_payment_id: 'pay_1' },
    payment_intent_data: {
      description: 'Acme - Invoice ACME-001-002',
      metadata: { lago_payment_id: 'pay_1' },
    },
    ...extra,
  });
  return { customer, session };
}

describe('checkout sessions in payment mode', () => {
  it('creates an unpaid hosted page for the line items, with no intent until the customer submits', async () => {
    const stripe = h.client();
    const { customer, session } = await paymentPage(stripe, { success_url: 'https://merchant.example/paid' });
    expect(session).toMatchObject({
      mode: 'payment',
      status: 'open',
      customer: customer.id,
      currency: 'eur',
      amount_subtotal: 4_999,
      amount_total: 4_999,
      payment_status: 'unpaid',
      payment_intent: null,
      payment_method_types: ['card', 'sepa_debit'],
      metadata: { lago_payment_id: 'pay_1' },
    });
    expect(session.expires_at - session.created).toBe(24 * 3600);
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toMatchObject([
      { object: 'item', description: 'ACME-001-002', quantity: 1, amount_total: 4_999, currency: 'eur' },
    ]);
    expect((await stripe.paymentIntents.list()).data).toEqual([]);

    const res = await fetch(session.url as string);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Pay €49.99</h1>');
    expect(html).toContain('ACME-001-002: €49.99');
    expect(html).toContain('<button type="submit">Pay €49.99</button>');
    expect(html).toContain('value="sepa_success"');
    expect(html).not.toContain('value="bacs_success"');
  });

  it('paid by card: the intent carries the page’s data, succeeds once, and the events follow Stripe’s order', async () => {
    const stripe = h.client();
    const receiver = await startReceiver();
    try {
      const endpoint = await stripe.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['payment_intent.succeeded', 'checkout.session.completed', 'charge.succeeded'],
      });
      const { customer, session } = await paymentPage(stripe, {
        success_url: 'https://merchant.example/paid?session={CHECKOUT_SESSION_ID}',
      });
      const res = await submit(session.url as string, 'card_visa');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`https://merchant.example/paid?session=${session.id}`);

      const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
      expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
      const pi = done.payment_intent as Stripe.PaymentIntent;
      expect(pi).toMatchObject({
        status: 'succeeded',
        amount: 4_999,
        amount_received: 4_999,
        currency: 'eur',
        customer: customer.id,
        description: 'Acme - Invoice ACME-001-002',
        metadata: { lago_payment_id: 'pay_1' },
      });
      expect((await stripe.paymentIntents.list()).data.map((i) => i.id)).toEqual([pi.id]);
      // A method used once on the page is not saved on the customer.
      expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);

      await h.controls.waitForDeliveries();
      const types = verified(stripe, receiver, endpoint.secret as string).map((e) => e.type);
      expect(types).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']);

      // The page is spent: it says so and takes no second payment.
      const again = await fetch(session.url as string);
      expect(await again.text()).toContain('This payment has already been made');
      expect((await submit(session.url as string, 'card_visa')).status).toBe(200);
      expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a decline re-renders the page with the reason, keeps it open, and a second card pays the same intent', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    const declined = await submit(session.url as string, 'card_declined');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    const open = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(open).toMatchObject({ status: 'open', payment_status: 'unpaid' });
    const pi = open.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });

    const paid = await submit(session.url as string, 'card_mastercard');
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment received');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('succeeded');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
    const types = (await stripe.events.list()).data.map((e) => e.type).reverse();
    expect(types).toEqual([
      'customer.created',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('a card that needs 3D Secure is authenticated on the page and pays', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    expect((await submit(session.url as string, 'card_authentication_required')).status).toBe(200);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect((done.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
  });

  it('a bank debit completes the page unpaid, then settles on the emulator clock with the async event', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    const res = await submit(session.url as string, 'sepa_success');
    expect(await res.text()).toContain('Payment submitted');
    const processing = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(processing).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect((processing.payment_intent as Stripe.PaymentIntent).status).toBe('processing');
    await h.controls.advanceClock(60);
    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(paid.payment_status).toBe('paid');
    expect((paid.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
    const types = (await stripe.events.list()).data.map((e) => e.type);
    expect(types[0]).toBe('checkout.session.async_payment_succeeded');
    expect(types).toContain('payment_intent.succeeded');
  });

  it('a bank debit that fails later sends checkout.session.async_payment_failed', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    await submit(session.url as string, 'sepa_failed');
    await h.controls.advanceClock(60);
    const types = (await stripe.events.list()).data.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual([
      'checkout.session.async_payment_failed',
      'payment_intent.payment_failed',
    ]);
  });

  it('expiring a page cancels the intent a decline left behind; the page is gone', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    await submit(session.url as string, 'card_insufficient_funds');
    const expired = await stripe.checkout.sessions.expire(session.id, { expand: ['payment_intent'] });
    expect(expired).toMatchObject({ status: 'expired', url: null, payment_status: 'unpaid' });
    expect(expired.payment_intent).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const types = (await stripe.events.list()).data.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['checkout.session.expired', 'payment_intent.canceled']);
    expect((await fetch(session.url as string)).status).toBe(410);
    const paid = await failure(stripe.checkout.sessions.expire(session.id));
    expect(paid.code).toBe('checkout_session_unexpected_state');
  });

  it('a page nobody opened expires after 24 hours on the emulator clock, without any intent', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    await h.controls.advanceClock(24 * 3600);
    const expired = await stripe.checkout.sessions.retrieve(session.id);
    expect(expired).toMatchObject({ status: 'expired', payment_intent: null });
    expect((await stripe.paymentIntents.list()).data).toEqual([]);
  });

  it('the completeCheckout control pays a payment page like the form does', async () => {
    const stripe = h.client();
    const { session } = await paymentPage(stripe);
    const declined = await h.controls.completeCheckout(session.id, {
      instrument: 'card_charge_customer_fail',
    });
    expect(declined).toMatchObject({ ok: false, status: 402 });
    const done = await h.controls.completeCheckout(session.id, { instrument: 'card_visa' });
    expect(done).toMatchObject({ ok: true, session: { status: 'complete', payment_status: 'paid' } });
  });

  it('validates payment-mode input as Stripe does, and creates nothing on a refusal', async () => {
    const stripe = h.client();
    const missing = await failure(stripe.checkout.sessions.create({ mode: 'payment' }));
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'line_items' });
    const tooSmall = await failure(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { quantity: 1, price_data: { currency: 'eur', unit_amount: 30, product_data: { name: 'x' } } },
        ],
      }),
    );
    expect(tooSmall.code).toBe('amount_too_small');
    const mixed = await failure(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { quantity: 1, price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'a' } } },
          { quantity: 1, price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'b' } } },
        ],
      }),
    );
    expect(mixed.param).toBe('line_items');
    const wrongData = await failure(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { quantity: 1, price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'a' } } },
        ],
        setup_intent_data: { description: 'no' },
      }),
    );
    expect(wrongData.param).toBe('setup_intent_data');
    const bacsInEuro = await failure(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { quantity: 1, price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'a' } } },
        ],
        allowed_payment_method_types: ['bacs_debit'],
      }),
    );
    expect(bacsInEuro.param).toBe('allowed_payment_method_types');
    expect((await stripe.checkout.sessions.list()).data).toEqual([]);
  });

  it('replays a creation sent again under its idempotency key: one page', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ name: 'Once' });
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      customer: customer.id,
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 2_500, product_data: { name: 'i' } } },
      ],
    };
    const first = await stripe.checkout.sessions.create(params, { idempotencyKey: 'payment-1' });
    const again = await stripe.checkout.sessions.create(params, { idempotencyKey: 'payment-1' });
    expect(again.id).toBe(first.id);
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);
  });
});
