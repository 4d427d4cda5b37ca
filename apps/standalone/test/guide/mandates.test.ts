/**
 * Guide: "Accepting a mandate through this method authorizes you to debit your customers' accounts
 * for recurring payments" (SEPA, ACH and Bacs). The mandate is accepted on the checkout page; a
 * bank account that reached Stripe without one cannot be debited, and the invoice says why.
 */
import { SETTLE_SECONDS } from '@payrail/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithSavedMethod,
  eventually,
  type Guide,
  oneOffInvoice,
  startGuide,
  submitCheckout,
} from './harness.js';

const MANDATE_REQUIRED =
  'This PaymentIntent requires a mandate, but no existing mandate was found. Collect mandate acceptance from the customer and try again, providing acceptance data in the mandate_data parameter.';

describe('guide: bank debits under the mandate accepted at checkout', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
  });
  afterAll(() => guide.stop());

  const invoiceState = async (id: string) => (await guide.call('GET', `/invoices/${id}`)).body.invoice;
  const failureWebhooks = (invoiceId: string) =>
    guide.webhooks.filter(
      (w) =>
        w.type === 'invoice.payment_failure' &&
        w.body.payment_provider_invoice_payment_error.lago_invoice_id === invoiceId,
    );

  it.each([
    ['sepa_debit', 'EUR', 'sepa_success'],
    ['us_bank_account', 'USD', 'ach_success'],
    ['bacs_debit', 'GBP', 'bacs_success'],
  ] as const)(
    'a %s account saved through the checkout link has a mandate, and its invoices are collected',
    async (type, currency, instrument) => {
      const externalId = `mandated_${type}`;
      const { providerCustomerId } = await customerWithSavedMethod(guide, {
        externalId,
        currency,
        code,
        methods: [type],
        instrument,
      });
      const stripe = guide.stripe(secretKey);
      const [setup] = (await stripe.setupIntents.list({ customer: providerCustomerId })).data;
      expect(setup).toMatchObject({ status: 'succeeded', mandate: expect.stringMatching(/^mandate_/) });
      const mandate = await stripe.mandates.retrieve(setup?.mandate as string);
      expect(mandate).toMatchObject({
        status: 'active',
        type: 'multi_use',
        payment_method: setup?.payment_method,
        customer_acceptance: { type: 'online' },
        payment_method_details: { type },
      });

      const invoice = await oneOffInvoice(guide, { externalId, currency, amountCents: 4_200 });
      const intent = await eventually(async () => {
        const list = await stripe.paymentIntents.list({ customer: providerCustomerId });
        return list.data.find(
          (pi) => pi.metadata.lago_invoice_id === invoice.lago_id && pi.status === 'processing',
        );
      }, 'the debit to be submitted');
      const charge = await stripe.charges.retrieve(intent.latest_charge as string);
      const details = charge.payment_method_details as unknown as Record<string, { mandate?: string }>;
      expect(details[type]?.mandate).toBe(mandate.id);

      await guide.controls.advanceClock(SETTLE_SECONDS);
      const paid = await eventually(async () => {
        const state = await invoiceState(invoice.lago_id);
        return state.payment_status === 'succeeded' ? state : undefined;
      }, 'the debit to settle and the invoice to be paid');
      expect(paid.total_paid_amount_cents).toBe(4_200);
      expect(failureWebhooks(invoice.lago_id)).toEqual([]);
    },
  );

  it('a SEPA account attached through the API without a mandate is refused; the invoice fails once with the reason', async () => {
    const externalId = 'no_mandate';
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: externalId,
        currency: 'EUR',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: ['sepa_debit'],
        },
      },
    });
    expect(created.status).toBe(200);
    const providerCustomerId = await eventually(async () => {
      const got = await guide.call('GET', `/customers/${externalId}`);
      return (got.body.customer.billing_configuration.provider_customer_id as string | null) ?? undefined;
    }, 'the Stripe customer');
    // Someone adds the bank account straight through Stripe's API: no customer ever accepted a mandate.
    const stripe = guide.stripe(secretKey);
    const attached = await stripe.paymentMethods.attach('pm_success_at', { customer: providerCustomerId });
    await stripe.customers.update(providerCustomerId, {
      invoice_settings: { default_payment_method: attached.id },
    });
    await eventually(async () => {
      const methods = await guide.call('GET', `/customers/${externalId}/payment_methods`);
      return methods.body.payment_methods.some(
        (m: { provider_method_id: string; is_default: boolean }) =>
          m.provider_method_id === attached.id && m.is_default,
      );
    }, 'the attached account to become the default');

    const invoice = await oneOffInvoice(guide, { externalId, currency: 'EUR', amountCents: 6_000 });
    const failed = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'failed' ? state : undefined;
    }, 'the invoice to fail');
    expect(failed.total_paid_amount_cents).toBe(0);

    const [refusal, ...more] = await eventually(() => {
      const found = failureWebhooks(invoice.lago_id);
      return found.length > 0 ? found : undefined;
    }, 'invoice.payment_failure');
    expect(more).toEqual([]);
    const error = refusal?.body.payment_provider_invoice_payment_error;
    expect(error).toMatchObject({
      provider_customer_id: providerCustomerId,
      provider_error: { error_code: 'mandate_required', message: MANDATE_REQUIRED },
      error_details: { code: 'mandate_required', http_status: 400 },
    });

    // Stripe kept the intent, waiting for a confirmation that never came; nothing was debited.
    const intents = (await stripe.paymentIntents.list({ customer: providerCustomerId })).data;
    expect(intents.map((pi) => pi.status)).toEqual(['requires_confirmation']);
    expect((await stripe.charges.list({ customer: providerCustomerId })).data).toEqual([]);
    const payments = await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`);
    expect(payments.body.payments).toEqual([
      expect.objectContaining({ payment_status: 'failed', provider_payment_id: intents[0]?.id }),
    ]);

    // No retries behind the scenes: once the worker is idle, still one attempt and one failure.
    await guide.idle();
    expect((await stripe.paymentIntents.list({ customer: providerCustomerId })).data).toHaveLength(1);
    expect(failureWebhooks(invoice.lago_id)).toHaveLength(1);
    expect((await invoiceState(invoice.lago_id)).payment_status).toBe('failed');

    // The way out is the guide's: the customer saves the account through a checkout link, which
    // accepts the mandate, and the invoice is retried.
    const link = await guide.call('POST', `/customers/${externalId}/checkout_url`);
    const saved = await submitCheckout(link.body.customer.checkout_url, 'sepa_success');
    expect(saved.status).toBeLessThan(400);
    const mandated = await eventually(async () => {
      const methods = await guide.call('GET', `/customers/${externalId}/payment_methods`);
      const found = methods.body.payment_methods.find(
        (m: { provider_method_id: string; is_default: boolean }) =>
          m.provider_method_id !== attached.id && m.is_default,
      );
      return found as { provider_method_id: string } | undefined;
    }, 'the account saved with a mandate to become the default');
    expect((await guide.call('POST', `/invoices/${invoice.lago_id}/retry_payment`)).status).toBe(200);
    const retried = await eventually(async () => {
      const list = await stripe.paymentIntents.list({ customer: providerCustomerId });
      return list.data.find((pi) => pi.status === 'processing');
    }, 'the retried debit');
    expect(retried.payment_method).toBe(mandated.provider_method_id);
    await guide.controls.advanceClock(SETTLE_SECONDS);
    await eventually(
      async () => (await invoiceState(invoice.lago_id)).payment_status === 'succeeded',
      'the retried invoice to be paid',
    );
    const kept = (await stripe.paymentIntents.retrieve(intents[0]?.id as string)) as Stripe.PaymentIntent;
    expect(kept.status).toBe('requires_confirmation');
  });
});
