/**
 * Money moves exactly as owed, end to end: what is charged, what a resumed attempt sends, and
 * what happens when Stripe's record disagrees with ours. Real HTTP, PostgreSQL (or PGlite), the
 * emulator; the customer's side is played with the stripe SDK and the hosted checkout page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithSavedMethod,
  eventually,
  type Guide,
  oneOffInvoice,
  startGuide,
  submitCheckout,
} from './harness.js';

describe('money: charging what is due, resuming, following Stripe', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  let connectionId: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect({ successRedirectUrl: 'https://merchant.example/paid' }));
    const listed = await guide.call('GET', '/stripe_connections');
    connectionId = listed.body.stripe_connections.find((c: { code: string }) => c.code === code).lago_id;
  });
  afterAll(() => guide.stop());

  const invoiceState = async (id: string) => (await guide.call('GET', `/invoices/${id}`)).body.invoice;

  /** A customer linked to Stripe who has not saved a payment method yet. */
  async function customerWithoutMethod(externalId: string, currency: string): Promise<string> {
    const created = await guide.call('POST', '/customers', {
      customer: {
        external_id: externalId,
        name: `Customer ${externalId}`,
        currency,
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: code,
          sync_with_provider: true,
          provider_payment_methods: ['card'],
        },
      },
    });
    expect(created.status).toBe(200);
    return eventually(async () => {
      const got = await guide.call('GET', `/customers/${externalId}`);
      return (got.body.customer.billing_configuration.provider_customer_id as string | null) ?? undefined;
    }, 'the Stripe customer');
  }

  async function offset(invoice: Record<string, any>, amountCents: number) {
    return guide.call('POST', '/credit_notes', {
      credit_note: {
        invoice_id: invoice.lago_id,
        reason: 'other',
        offset_amount_cents: amountCents,
        items: [{ fee_id: invoice.fees[0].lago_id, amount_cents: amountCents }],
      },
    });
  }

  const intentsOf = async (providerCustomerId: string) =>
    (await guide.stripe(secretKey).paymentIntents.list({ customer: providerCustomerId })).data;

  it('an offset credit note lowers the charge: 100.00 with 40.00 offset is charged 60.00', async () => {
    const providerCustomerId = await customerWithoutMethod('offset-part', 'USD');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'offset-part',
      currency: 'USD',
      amountCents: 10_000,
    });
    await guide.idle();
    expect(await invoiceState(invoice.lago_id)).toMatchObject({ payment_status: 'pending' });

    const credited = await offset(invoice, 4_000);
    expect(credited.status).toBe(200);
    expect((await invoiceState(invoice.lago_id)).total_due_amount_cents).toBe(6_000);

    const link = await guide.call('POST', '/customers/offset-part/checkout_url');
    expect((await submitCheckout(link.body.customer.checkout_url, 'card_visa')).status).toBeLessThan(400);
    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the invoice to be paid');
    expect(paid).toMatchObject({ total_paid_amount_cents: 6_000, total_due_amount_cents: 0 });
    const intents = await intentsOf(providerCustomerId);
    expect(intents.map((i) => [i.amount, i.status])).toEqual([[6_000, 'succeeded']]);
  });

  it('an offset of the whole invoice settles it without Stripe', async () => {
    const providerCustomerId = await customerWithoutMethod('offset-all', 'USD');
    const invoice = await oneOffInvoice(guide, {
      externalId: 'offset-all',
      currency: 'USD',
      amountCents: 10_000,
    });
    await guide.idle();
    expect((await offset(invoice, 10_000)).status).toBe(200);
    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the invoice to be settled');
    expect(paid).toMatchObject({ total_paid_amount_cents: 0, total_due_amount_cents: 0 });
    // A card saved afterwards is not charged for it.
    const link = await guide.call('POST', '/customers/offset-all/checkout_url');
    await submitCheckout(link.body.customer.checkout_url, 'card_visa');
    await guide.idle();
    expect(await intentsOf(providerCustomerId)).toEqual([]);
  });

  it('a lost answer is resumed with exactly what was sent, although the connection changed meanwhile', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'resumed',
      currency: 'EUR',
      code,
    });
    // Stripe's webhooks are held, so only the resumed job can learn the outcome.
    await guide.controls.holdDeliveries();
    // Stripe creates (and charges) the first intent, but its answer is lost, and every resend
    // fails until the merchant's edit below is in: the resume can only happen after it.
    await guide.controls.injectFault({
      kind: 'reset_after_commit',
      method: 'POST',
      path: '/v1/payment_intents',
      apiKey: secretKey,
    });
    await guide.controls.injectFault({
      kind: 'reset',
      method: 'POST',
      path: '/v1/payment_intents',
      apiKey: secretKey,
      count: 1_000,
    });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'resumed',
      currency: 'EUR',
      amountCents: 4_200,
    });
    await eventually(async () => (await intentsOf(providerCustomerId)).length === 1, 'the first intent');
    await eventually(async () => {
      const jobs: { state: string }[] = await guide.database.orm.em
        .fork()
        .execute(
          `select state from "${guide.database.schema}_jobs".job where name = 'payment.collect' and data->>'invoiceId' = ?`,
          [invoice.lago_id],
        );
      return jobs.some((j) => j.state === 'retry');
    }, 'the collection job to give up for now');
    // The merchant edits the return URL before the retry runs.
    const edited = await guide.call('PUT', `/stripe_connections/${connectionId}`, {
      stripe_connection: { success_redirect_url: 'https://merchant.example/changed' },
    });
    expect(edited.status).toBe(200);
    await guide.controls.clearFaults();

    const paid = await eventually(
      async () => {
        const state = await invoiceState(invoice.lago_id);
        return state.payment_status === 'succeeded' ? state : undefined;
      },
      'the resumed attempt to settle',
      60_000,
    );
    await guide.controls.releaseDeliveries();
    expect(paid.total_paid_amount_cents).toBe(4_200);
    const intents = await intentsOf(providerCustomerId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amount: 4_200 });
    const payments = (await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`)).body.payments;
    expect(payments).toMatchObject([{ payment_status: 'succeeded', provider_payment_id: intents[0]?.id }]);
    await guide.call('PUT', `/stripe_connections/${connectionId}`, {
      stripe_connection: { success_redirect_url: 'https://merchant.example/paid' },
    });
  });

  it('a customer’s Stripe link cannot change while a payment is out at Stripe (405)', async () => {
    await customerWithSavedMethod(guide, { externalId: 'in-flight', currency: 'EUR', code });
    await guide.controls.injectFault({
      kind: 'server_error',
      method: 'POST',
      path: '/v1/payment_intents',
      apiKey: secretKey,
      count: 1_000,
    });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'in-flight',
      currency: 'EUR',
      amountCents: 2_500,
    });
    await eventually(
      async () =>
        (await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`)).body.payments.length === 1,
      'the attempt to be recorded',
    );
    const unlink = await guide.call('POST', '/customers', {
      customer: { external_id: 'in-flight', billing_configuration: { payment_provider: null } },
    });
    expect(unlink.status).toBe(405);
    expect(unlink.body.code).toBe('payment_processor_is_currently_handling_payment');
    const customer = (await guide.call('GET', '/customers/in-flight')).body.customer;
    expect(customer.billing_configuration.payment_provider).toBe('stripe');
    await guide.controls.clearFaults();
    await guide.call('POST', `/invoices/${invoice.lago_id}/retry_payment`);
    await eventually(
      async () => (await invoiceState(invoice.lago_id)).payment_status === 'succeeded',
      'the attempt to settle once Stripe answers',
      60_000,
    );
  });

  it('Stripe’s truth wins: a declined invoice paid later by the customer becomes paid, and is not charged again', async () => {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'late-payer',
      currency: 'EUR',
      code,
      instrument: 'card_charge_customer_fail',
    });
    const invoice = await oneOffInvoice(guide, {
      externalId: 'late-payer',
      currency: 'EUR',
      amountCents: 3_300,
    });
    await eventually(
      async () => (await invoiceState(invoice.lago_id)).payment_status === 'failed',
      'the decline',
    );
    const [declined] = await intentsOf(providerCustomerId);
    if (!declined) throw new Error('no intent');
    expect(declined.status).toBe('requires_payment_method');

    // The customer pays that same intent with another card (e.g. on a page the merchant sent).
    const confirmed = await guide
      .stripe(secretKey)
      .paymentIntents.confirm(declined.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');

    const paid = await eventually(async () => {
      const state = await invoiceState(invoice.lago_id);
      return state.payment_status === 'succeeded' ? state : undefined;
    }, 'the invoice to follow Stripe');
    expect(paid.total_paid_amount_cents).toBe(3_300);
    const payments = (await guide.call('GET', `/payments?invoice_id=${invoice.lago_id}`)).body.payments;
    expect(payments).toMatchObject([{ payment_status: 'succeeded', provider_payment_id: declined.id }]);
    const retry = await guide.call('POST', `/invoices/${invoice.lago_id}/retry_payment`);
    expect(retry.status).toBe(405);
    await guide.idle();
    expect(await intentsOf(providerCustomerId)).toHaveLength(1);
  });
});
