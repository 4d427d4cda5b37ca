import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenConnection,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { upsertCustomer } from './upsert-customer.js';

function collect(t: TestContext, invoiceId: string) {
  return collectInvoicePayment({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId } });
}

async function linkedWithInvoice(
  t: TestContext,
  options: {
    currency?: string;
    methods?: string[];
    amountCents?: number;
    methodType?: 'card' | 'sepa_debit' | null;
  } = {},
) {
  const linked = await givenLinkedCustomer(t, {
    currency: options.currency ?? 'EUR',
    methods: options.methods ?? ['card'],
    methodType: options.methodType === undefined ? 'card' : options.methodType,
  });
  await givenAddOn(t, 'setup_fee', options.amountCents ?? 12_000, options.currency ?? 'EUR');
  const invoice = await givenInvoice(t);
  return { ...linked, invoice };
}

describe('collectInvoicePayment', () => {
  it('charges once: pending payment committed, then the provider called with payment-{id}', async () => {
    const t = createTestContext();
    const { invoice, providerCustomerId } = await linkedWithInvoice(t);
    const result = expectOk(await collect(t, invoice.id));
    if (result.outcome !== 'attempted') throw new Error(result.outcome);
    expect(result.payment).toMatchObject({
      status: 'succeeded',
      amountCents: 12_000,
      providerStatus: 'succeeded',
    });
    expect(result.invoice).toMatchObject({
      payment: { status: 'succeeded', paymentId: result.payment.id },
      totalPaidAmountCents: 12_000,
    });
    const [intent] = t.gateway.intentsFor(invoice.id);
    expect(intent).toMatchObject({
      idempotencyKey: `payment-${result.payment.id}`,
      allowedMethods: ['card'],
      metadata: {
        lago_invoice_id: invoice.id,
        lago_payment_id: result.payment.id,
        lago_payable_type: 'Invoice',
      },
    });
    expect(t.gateway.calls.find((c) => c.method === 'createPaymentIntent')?.input).toMatchObject({
      providerCustomerId,
      description: `Acme - Invoice ${invoice.number}`,
    });
    expect(t.store.eventsOfType('payment.succeeded')).toHaveLength(1);
    expect(t.store.eventsOfType('invoice.payment_status_updated')).toHaveLength(1);

    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'nothing_to_do',
      reason: 'invalid_status',
    });
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(1);
  });

  it('offers only the configured methods compatible with the invoice currency', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { methods: ['card', 'sepa_debit', 'bacs_debit'] });
    expectOk(await collect(t, invoice.id));
    expect(t.gateway.intentsFor(invoice.id)[0]?.allowedMethods).toEqual(['card', 'sepa_debit']);
  });

  it('a card decline fails the invoice and raises invoice.payment_failure with Stripe’s message and code', async () => {
    const t = createTestContext();
    const { invoice, customer, providerCustomerId, connection } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({
      kind: 'error',
      error: {
        code: 'card_declined',
        providerCode: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
        providerPaymentId: 'pi_declined',
        details: { requestId: 'req_1', httpStatus: 402, httpBody: { error: {} } },
      },
    });
    const result = expectOk(await collect(t, invoice.id));
    expect(result).toMatchObject({
      outcome: 'attempted',
      payment: { status: 'failed', providerPaymentId: 'pi_declined' },
    });
    expect(result.invoice.payment).toMatchObject({
      status: 'failed',
      failure: { code: 'insufficient_funds' },
    });
    expect(t.store.eventsOfType('invoice.payment_failure').map((e) => e.data)).toEqual([
      {
        lago_invoice_id: invoice.id,
        lago_customer_id: customer.id,
        external_customer_id: customer.externalId,
        provider_customer_id: providerCustomerId,
        payment_provider: 'stripe',
        payment_provider_code: connection.code,
        provider_error: { message: 'Your card has insufficient funds.', error_code: 'insufficient_funds' },
        error_details: {
          code: 'insufficient_funds',
          message: 'Your card has insufficient funds.',
          request_id: 'req_1',
          http_status: 402,
          http_body: { error: {} },
        },
      },
    ]);
  });

  it('an asynchronous failure (processing, then failed) also fails the invoice with the event', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({
      kind: 'outcome',
      status: 'failed',
      code: 'expired_card',
      message: 'Expired',
    });
    const result = expectOk(await collect(t, invoice.id));
    expect(result.invoice.payment).toMatchObject({ status: 'failed', failure: { code: 'expired_card' } });
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(1);
  });

  it('processing keeps the invoice pending with the attempt in flight', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { methods: ['sepa_debit'], methodType: 'sepa_debit' });
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    const result = expectOk(await collect(t, invoice.id));
    if (result.outcome !== 'attempted') throw new Error(result.outcome);
    expect(result.invoice.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: result.payment.id,
      waitingFor: null,
    });
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'nothing_to_do',
      reason: 'payment_processor_is_currently_handling_payment',
    });
  });

  it('requires_action keeps the attempt in flight and raises payment.requires_action', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'requires_action' });
    const result = expectOk(await collect(t, invoice.id));
    expect(result.invoice.payment).toMatchObject({ status: 'pending', waitingFor: 'requires_action' });
    expect(t.store.eventsOfType('payment.requires_action')[0]?.data.next_action).toMatchObject({
      type: 'redirect_to_url',
    });
  });

  it.each([
    ['EUR', 49],
    ['GBP', 29],
    ['USD', 1],
  ])(
    'below Stripe’s minimum (%s %i): no attempt, pending with the reason, no failure event',
    async (currency, amount) => {
      const t = createTestContext();
      const { invoice } = await linkedWithInvoice(t, { currency, amountCents: amount });
      expect(expectOk(await collect(t, invoice.id))).toMatchObject({
        outcome: 'waiting',
        reason: 'amount_below_provider_minimum',
        invoice: { payment: { status: 'pending', waitingFor: 'amount_below_provider_minimum' } },
      });
      expect(t.gateway.intents.size).toBe(0);
      expect(t.store.payments.size).toBe(0);
      expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(0);
    },
  );

  it('Stripe’s own amount_too_small (e.g. a settlement-currency minimum) also leaves the invoice pending silently', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { amountCents: 60 });
    t.gateway.intentScript.push({
      kind: 'error',
      error: { code: 'amount_too_small', message: 'Amount must be at least €0.50' },
    });
    const result = expectOk(await collect(t, invoice.id));
    expect(result.invoice.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: 'amount_below_provider_minimum',
    });
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(0);
  });

  it('no compatible method: a clear failure code, no Stripe call', async () => {
    const t = createTestContext();
    await givenLinkedCustomer(t, { currency: 'EUR', methods: ['sepa_debit'], methodType: 'sepa_debit' });
    await givenAddOn(t, 'usd_fee', 5000, 'USD');
    const invoice = await givenInvoice(t, { fees: [{ addOnCode: 'usd_fee' }], currency: 'USD' });
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'failed_without_attempt',
      code: 'no_compatible_payment_method',
      invoice: { payment: { status: 'failed', failure: { code: 'no_compatible_payment_method' } } },
    });
    expect(t.gateway.intents.size).toBe(0);
    expect(t.store.eventsOfType('invoice.payment_failure')[0]?.data.provider_error?.error_code).toBe(
      'no_compatible_payment_method',
    );
  });

  it('no payment method anywhere: the invoice waits with no_payment_method', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { methodType: null });
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'waiting',
      reason: 'no_payment_method',
    });
    expect(t.gateway.intents.size).toBe(0);
  });

  it('no local method but a default at Stripe (existing customer): it is adopted and charged', async () => {
    const t = createTestContext();
    const { invoice, providerCustomerId } = await linkedWithInvoice(t, { methodType: null });
    const pm = t.gateway.addPaymentMethod(providerCustomerId);
    t.gateway.customers.get(providerCustomerId)!.defaultPaymentMethodId = pm.providerPaymentMethodId;
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'attempted',
      payment: { status: 'succeeded' },
    });
  });

  it('a method saved later sends the waiting invoice for collection', async () => {
    const t = createTestContext();
    const { invoice, customer, providerCustomerId, connection } = await linkedWithInvoice(t, {
      methodType: null,
    });
    expectOk(await collect(t, invoice.id));
    t.store.takeJobs();
    const pm = t.gateway.addPaymentMethod(providerCustomerId);
    const { handleStripeCommand } = await import('./handle-stripe-command.js');
    expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt_1',
          occurredAt: t.clock.now(),
          command: { kind: 'setup_succeeded', providerCustomerId, paymentMethod: pm },
        },
      }),
    );
    expect(t.store.takeJobs()).toEqual([
      expect.objectContaining({
        name: 'payment.collect',
        payload: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    ]);
    expect(customer.id).toBeDefined();
  });

  it.each([
    ['customer without provider', 'customer_has_no_payment_provider'],
    ['Stripe customer still being created', 'provider_customer_pending'],
  ])('%s: pending with reason %s', async (_name, reason) => {
    const t = createTestContext();
    await givenConnection(t);
    expectOk(
      await upsertCustomer({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          externalId: 'cust_001',
          currency: 'EUR',
          ...(reason === 'provider_customer_pending'
            ? { billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true } }
            : {}),
        },
      }),
    );
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({ outcome: 'waiting', reason });
  });

  it('a network error after Stripe charged: the retried job reuses the payment and key, one charge', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    expect(await collect(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', retryable: true },
    });
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({ status: 'pending' });
    const retried = expectOk(await collect(t, invoice.id));
    expect(retried).toMatchObject({ outcome: 'attempted', invoice: { payment: { status: 'succeeded' } } });
    expect(t.store.payments.size).toBe(1);
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(1);
    const keys = t.gateway.calls
      .filter((c) => c.method === 'createPaymentIntent')
      .map((c) => (c.input as { idempotencyKey: string }).idempotencyKey);
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(2);
  });

  it('two collectors racing: one attempt wins, the other sees a conflict or the attempt in flight', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    const results = await Promise.all([collect(t, invoice.id), collect(t, invoice.id)]);
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(1);
    expect(t.store.payments.size).toBe(1);
    expect(results.filter((r) => r.ok && r.value.outcome === 'attempted')).toHaveLength(1);
  });

  it('404 for an invoice of another organization', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    expect(
      await collectInvoicePayment({ ctx: t.ctx, input: { organizationId: 'other', invoiceId: invoice.id } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invoice_not_found' },
    });
  });
});
