import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useEmulator } from './harness.js';

const h = useEmulator();

describe('customers', () => {
  it('creates, retrieves, updates, lists and deletes', async () => {
    const stripe = h.client();
    const created = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: '+441234',
      preferred_locales: ['en', 'fr'],
      address: { line1: '1 Main St', city: 'London', country: 'GB' },
      metadata: { lago_customer_id: 'lc_1' },
    });
    expect(created).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      livemode: false,
      preferred_locales: ['en', 'fr'],
      metadata: { lago_customer_id: 'lc_1' },
      invoice_settings: { default_payment_method: null },
    });
    expect(created.address?.city).toBe('London');
    const updated = await stripe.customers.update(created.id, {
      name: 'Ada L.',
      metadata: { lago_customer_id: '' },
    });
    expect(updated.name).toBe('Ada L.');
    expect(updated.metadata).toEqual({});
    expect((await stripe.customers.list({ email: 'ada@example.com' })).data.map((c) => c.id)).toEqual([
      created.id,
    ]);
    const deleted = await stripe.customers.del(created.id);
    expect(deleted).toMatchObject({ id: created.id, deleted: true });
    expect(await stripe.customers.retrieve(created.id)).toMatchObject({ deleted: true });
  });

  it('sets the default payment method only to one attached to the customer', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'dpm@example.com' });
    const other = await stripe.customers.create({ email: 'other@example.com' });
    const foreign = await stripe.paymentMethods.attach('pm_card_visa', { customer: other.id });
    const err = (await stripe.customers
      .update(customer.id, { invoice_settings: { default_payment_method: foreign.id } })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(400);
    expect(err.param).toBe('invoice_settings[default_payment_method]');
    expect(err.message).toContain('The customer does not have a payment method with the ID');
    const own = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const updated = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: own.id },
    });
    expect(updated.invoice_settings.default_payment_method).toBe(own.id);
    const events = await stripe.events.list({ type: 'customer.updated' });
    const last = events.data[0]!;
    expect((last.data.object as Stripe.Customer).invoice_settings.default_payment_method).toBe(own.id);
    expect(last.data.previous_attributes).toMatchObject({
      invoice_settings: { default_payment_method: null },
    });
  });

  it('creates nothing when the payment method given at creation cannot be attached', async () => {
    const stripe = h.client();
    const err = (await stripe.customers
      .create({ email: 'x@example.com', payment_method: 'pm_card_visa_chargeDeclined' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.statusCode).toBe(402);
    expect((await stripe.customers.list()).data).toHaveLength(0);
    expect((await stripe.paymentMethods.list()).data).toHaveLength(0);
    expect((await stripe.events.list()).data).toHaveLength(0);
  });

  it('attaches a payment method given at creation', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({
      email: 'pm@example.com',
      payment_method: 'pm_card_visa',
    });
    const pms = await stripe.customers.listPaymentMethods(customer.id);
    expect(pms.data).toHaveLength(1);
    expect(pms.data[0]!.customer).toBe(customer.id);
  });
});

describe('payment methods', () => {
  it('makes a new PaymentMethod from each use of a magic token', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'magic@example.com' });
    const a = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const b = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(a.id).toMatch(/^pm_/);
    expect(a.id).not.toBe('pm_card_visa');
    expect(b.id).not.toBe(a.id);
    expect(a.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(a.card?.fingerprint).toBe(b.card?.fingerprint);
  });

  it('lists by customer and type, newest first', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'list@example.com' });
    const card1 = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const sepa = await stripe.paymentMethods.attach('pm_success_at', { customer: customer.id });
    const card2 = await stripe.paymentMethods.attach('pm_card_amex', { customer: customer.id });
    const cards = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(cards.data.map((p) => p.id)).toEqual([card2.id, card1.id]);
    const all = await stripe.customers.listPaymentMethods(customer.id);
    expect(all.data.map((p) => p.id)).toEqual([card2.id, sepa.id, card1.id]);
    const sepaOnly = await stripe.customers.listPaymentMethods(customer.id, { type: 'sepa_debit' });
    expect(sepaOnly.data.map((p) => p.id)).toEqual([sepa.id]);
    expect(sepaOnly.data[0]!.sepa_debit?.last4).toBe('3201');
    const one = await stripe.customers.retrievePaymentMethod(customer.id, sepa.id);
    expect(one.id).toBe(sepa.id);
  });

  it('refuses to attach declining cards, with the decline code', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'decline@example.com' });
    const err = (await stripe.paymentMethods
      .attach('pm_card_visa_chargeDeclinedInsufficientFunds', { customer: customer.id })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.code).toBe('card_declined');
    expect(err.decline_code).toBe('insufficient_funds');
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(0);
    const ok = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    expect(ok.customer).toBe(customer.id);
  });

  it('detaches permanently and clears the default payment method', async () => {
    const stripe = h.client();
    const customer = await stripe.customers.create({ email: 'detach@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBeNull();
    const again = (await stripe.paymentMethods
      .attach(pm.id, { customer: customer.id })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(again.statusCode).toBe(400);
    const twice = (await stripe.paymentMethods
      .detach(pm.id)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(twice.statusCode).toBe(400);
    const types = (await stripe.events.list({ limit: 5 })).data.map((e) => e.type);
    expect(types).toContain('payment_method.detached');
  });

  it('creates payment methods from raw test details', async () => {
    const stripe = h.client();
    const card = await stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4000000000000341', exp_month: 12, exp_year: 2035, cvc: '123' },
    } as Stripe.PaymentMethodCreateParams);
    expect(card.card?.last4).toBe('0341');
    const sepa = await stripe.paymentMethods.create({
      type: 'sepa_debit',
      sepa_debit: { iban: 'DE89370400440532013000' },
      billing_details: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(sepa.sepa_debit).toMatchObject({ last4: '3000', country: 'DE' });
    const ach = await stripe.paymentMethods.create({
      type: 'us_bank_account',
      us_bank_account: {
        account_number: '000123456789',
        routing_number: '110000000',
        account_holder_type: 'individual',
      },
    });
    expect(ach.us_bank_account?.last4).toBe('6789');
    const bacs = await stripe.paymentMethods.create({
      type: 'bacs_debit',
      bacs_debit: { account_number: '00012345', sort_code: '108800' },
    });
    expect(bacs.bacs_debit?.sort_code).toBe('108800');
    const bad = (await stripe.paymentMethods
      .create({
        type: 'card',
        card: { number: '4242424242424241', exp_month: 1, exp_year: 2035 },
      } as Stripe.PaymentMethodCreateParams)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(bad.code).toBe('incorrect_number');
    const badIban = (await stripe.paymentMethods
      .create({ type: 'sepa_debit', sepa_debit: { iban: 'nope' } })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(badIban.statusCode).toBe(400);
  });

  it('updates metadata and retrieves', async () => {
    const stripe = h.client();
    const pm = await stripe.paymentMethods.create({
      type: 'sepa_debit',
      sepa_debit: { iban: 'AT611904300234573201' },
    });
    const updated = await stripe.paymentMethods.update(pm.id, { metadata: { k: 'v' } });
    expect(updated.metadata).toEqual({ k: 'v' });
    expect((await stripe.paymentMethods.retrieve(pm.id)).metadata).toEqual({ k: 'v' });
  });
});
