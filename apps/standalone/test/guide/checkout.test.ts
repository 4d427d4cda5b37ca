/** Guide: "Stripe Checkout", "Regenerate checkout link on demand" and "Default payment method". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithSavedMethod,
  eventually,
  type Guide,
  oneOffInvoice,
  sessionIdOf,
  startGuide,
  submitCheckout,
} from './harness.js';

describe('guide: saving payment methods through Stripe Checkout', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
  });
  afterAll(() => guide.stop());

  it('makes a newly added method the default, and a default chosen by hand wins over the newest', async () => {
    const stripe = guide.stripe(secretKey);
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'two_cards',
      currency: 'USD',
      code,
      instrument: 'card_visa',
    });
    const first = (await guide.call('GET', '/customers/two_cards/payment_methods')).body.payment_methods;
    expect(first).toHaveLength(1);
    expect(first[0].is_default).toBe(true);
    const visa = first[0];

    const again = await guide.call('POST', '/customers/two_cards/checkout_url');
    await submitCheckout(again.body.customer.checkout_url, 'card_mastercard');
    const both = await eventually(async () => {
      const listed = (await guide.call('GET', '/customers/two_cards/payment_methods')).body.payment_methods;
      return listed.length === 2 &&
        listed.find((m: { is_default: boolean }) => m.is_default).lago_id !== visa.lago_id
        ? listed
        : undefined;
    }, 'the newest card to become the default');
    const mastercard = both.find((m: { lago_id: string }) => m.lago_id !== visa.lago_id);
    expect(mastercard.is_default).toBe(true);
    const customerInStripe = await stripe.customers.retrieve(providerCustomerId);
    expect(
      (customerInStripe as { invoice_settings: { default_payment_method: string } }).invoice_settings
        .default_payment_method,
    ).toBe(mastercard.provider_method_id);

    const chosen = await guide.call(
      'PUT',
      `/customers/two_cards/payment_methods/${visa.lago_id}/set_as_default`,
    );
    expect(chosen.status).toBe(200);
    const afterChoice = (await guide.call('GET', '/customers/two_cards/payment_methods')).body
      .payment_methods;
    expect(afterChoice.find((m: { lago_id: string }) => m.lago_id === visa.lago_id).is_default).toBe(true);

    const invoice = await oneOffInvoice(guide, {
      externalId: 'two_cards',
      currency: 'USD',
      amountCents: 2500,
    });
    await eventually(async () => {
      const got = await guide.call('GET', `/invoices/${invoice.lago_id}`);
      return got.body.invoice.payment_status === 'succeeded';
    }, 'the invoice to be paid');
    const intents = await stripe.paymentIntents.list({ customer: providerCustomerId });
    expect(intents.data).toHaveLength(1);
    expect(intents.data[0]?.payment_method).toBe(visa.provider_method_id);
  });

  it('expires a checkout link 24 hours after it was created, and regenerates one on demand', async () => {
    const stripe = guide.stripe(secretKey);
    await guide.call('POST', '/customers', {
      customer: {
        external_id: 'late_customer',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
        },
      },
    });
    await eventually(async () => {
      const got = await guide.call('GET', '/customers/late_customer');
      return got.body.customer.billing_configuration.provider_customer_id ?? undefined;
    }, 'the Stripe customer');
    const link = await guide.call('POST', '/customers/late_customer/checkout_url');
    const url: string = link.body.customer.checkout_url;
    const session = await stripe.checkout.sessions.retrieve(sessionIdOf(url));
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(Date.parse(link.body.customer.expires_at)).toBe(session.expires_at * 1000);
    expect((await fetch(url)).status).toBe(200);

    await guide.controls.advanceClock(24 * 60 * 60 - 60);
    expect((await fetch(url)).status).toBe(200);
    await guide.controls.advanceClock(61);
    const expired = await fetch(url);
    expect(expired.status).toBe(410);

    const regenerated = await guide.call('POST', '/customers/late_customer/checkout_url');
    expect(regenerated.status).toBe(200);
    const fresh: string = regenerated.body.customer.checkout_url;
    expect(fresh).not.toBe(url);
    const saved = await submitCheckout(fresh, 'card_visa');
    expect(saved.status).toBeLessThan(400);
    await eventually(async () => {
      const listed = await guide.call('GET', '/customers/late_customer/payment_methods');
      return listed.body.payment_methods.length === 1;
    }, 'the method saved through the new link');
  });
});
