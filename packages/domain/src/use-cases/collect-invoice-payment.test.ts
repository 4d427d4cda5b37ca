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
import { createCreditNote } from './create-credit-note.js';
import { createManualPayment } from './create-manual-payment.js';
import { handleStripeCommand } from './handle-stripe-command.js';
import { reconcilePayment } from './reconcile-payment.js';
import { updateStripeConnection } from './update-stripe-connection.js';
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

  it('a bank debit refused for want of a mandate fails the invoice once, keeping the intent and the reason', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { methods: ['sepa_debit'], methodType: 'sepa_debit' });
    const message =
      'This PaymentIntent requires a mandate, but no existing mandate was found. Collect mandate acceptance from the customer and try again, providing acceptance data in the mandate_data parameter.';
    t.gateway.intentScript.push({
      kind: 'error',
      error: {
        code: 'mandate_required',
        message,
        providerPaymentId: 'pi_waiting',
        details: { requestId: 'req_2', httpStatus: 400, httpBody: { error: { message } } },
      },
    });
    const result = expectOk(await collect(t, invoice.id));
    expect(result).toMatchObject({
      outcome: 'attempted',
      payment: {
        status: 'failed',
        providerPaymentId: 'pi_waiting',
        failure: { code: 'mandate_required', message },
      },
      invoice: { payment: { status: 'failed', failure: { code: 'mandate_required' } } },
    });
    expect(t.store.eventsOfType('invoice.payment_failure').map((e) => e.data)).toEqual([
      expect.objectContaining({
        provider_error: { message, error_code: 'mandate_required' },
        error_details: expect.objectContaining({ code: 'mandate_required', http_status: 400 }),
      }),
    ]);
    // Not retried: another run of the job finds nothing to do and asks the provider nothing.
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({ outcome: 'nothing_to_do' });
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(1);
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
    // The job it queued charges the method the customer just saved.
    const charged = expectOk(await collect(t, invoice.id));
    expect(charged).toMatchObject({
      outcome: 'attempted',
      payment: { customerId: customer.id, providerPaymentMethodId: pm.providerPaymentMethodId },
    });
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

function offset(
  t: TestContext,
  invoice: { id: string; fees: readonly { id: string }[] },
  amountCents: number,
) {
  const feeId = invoice.fees[0]?.id ?? '';
  return createCreditNote({
    ctx: t.ctx,
    input: {
      organizationId: t.organization.id,
      invoiceId: invoice.id,
      items: [{ feeId, amountCents }],
      offsetAmountCents: amountCents,
    },
  });
}

function chargedAmounts(t: TestContext, invoiceId: string): number[] {
  return t.gateway.intentsFor(invoiceId).map((i) => i.outcome.amountCents);
}

describe('collectInvoicePayment charges what is due', () => {
  it('an offset credit note lowers the charge: 100.00 less 40.00 offset charges 60.00', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { amountCents: 10_000, methodType: null });
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({ outcome: 'waiting' });
    expectOk(await offset(t, invoice, 4_000));
    t.gateway.addPaymentMethod(t.gateway.customers.keys().next().value as string);
    const result = expectOk(await collect(t, invoice.id));
    expect(result).toMatchObject({
      outcome: 'attempted',
      payment: { amountCents: 6_000, status: 'succeeded' },
    });
    expect(chargedAmounts(t, invoice.id)).toEqual([6_000]);
    expect(result.invoice).toMatchObject({ totalPaidAmountCents: 6_000, payment: { status: 'succeeded' } });
  });

  it('an offset of the whole invoice settles it without the provider, and queues that collection', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { amountCents: 10_000, methodType: null });
    expectOk(await collect(t, invoice.id));
    t.store.takeJobs();
    expectOk(await offset(t, invoice, 10_000));
    expect(t.store.takeJobs()).toEqual([
      expect.objectContaining({
        name: 'payment.collect',
        payload: expect.objectContaining({ invoiceId: invoice.id }),
      }),
    ]);
    const result = expectOk(await collect(t, invoice.id));
    expect(result).toMatchObject({
      outcome: 'paid_without_provider',
      invoice: { payment: { status: 'succeeded' } },
    });
    expect(t.gateway.intentsFor(invoice.id)).toEqual([]);
    expect(t.store.eventsOfType('invoice.payment_status_updated')).toHaveLength(1);
  });

  it('a manual payment and an offset together: only the rest is charged', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { amountCents: 10_000, methodType: null });
    expectOk(await collect(t, invoice.id));
    expectOk(
      await createManualPayment({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          invoiceId: invoice.id,
          amountCents: 2_500,
          reference: 'wire',
        },
      }),
    );
    expectOk(await offset(t, invoice, 1_000));
    t.gateway.addPaymentMethod(t.gateway.customers.keys().next().value as string);
    expectOk(await collect(t, invoice.id));
    expect(chargedAmounts(t, invoice.id)).toEqual([6_500]);
    expect(t.store.invoices.get(invoice.id)).toMatchObject({ totalPaidAmountCents: 9_000 });
  });

  it('what is due decides the provider minimum, not the total', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { amountCents: 1_000 });
    expectOk(await offset(t, invoice, 980));
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'waiting',
      reason: 'amount_below_provider_minimum',
    });
    expect(t.gateway.intentsFor(invoice.id)).toEqual([]);
  });

  it('an offset while an attempt is out is refused (405) and changes nothing', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t, { amountCents: 10_000 });
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    expectOk(await collect(t, invoice.id));
    expect(await offset(t, invoice, 4_000)).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'payment_processor_is_currently_handling_payment' },
    });
    expect(t.store.invoices.get(invoice.id)?.credited.offsetCents).toBe(0);
  });
});

describe('collectInvoicePayment resumes an attempt from what it sent', () => {
  it('a resumed attempt sends the recorded request although the connection and customer changed', async () => {
    const t = createTestContext();
    const { invoice, connection } = await linkedWithInvoice(t, { methods: ['card', 'sepa_debit'] });
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    expect(await collect(t, invoice.id)).toMatchObject({ ok: false, error: { retryable: true } });
    // Meanwhile the merchant edits the connection's return URL and the customer's methods.
    expectOk(
      await updateStripeConnection({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          successRedirectUrl: 'https://example.com/changed',
        },
      }),
    );
    expectOk(
      await upsertCustomer({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          externalId: 'cust_001',
          billingConfiguration: { providerPaymentMethods: ['card'] },
        },
      }),
    );
    const resumed = expectOk(await collect(t, invoice.id));
    expect(resumed).toMatchObject({ outcome: 'attempted', payment: { status: 'succeeded' } });
    const sent = t.gateway.calls.filter((c) => c.method === 'createPaymentIntent').map((c) => c.input);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
  });

  it('the resume goes first: an unlinked customer does not orphan the attempt', async () => {
    const t = createTestContext();
    const { invoice, connection } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collect(t, invoice.id);
    const payment = [...t.store.payments.values()][0];
    if (!payment) throw new Error('no payment');
    // The link may not change while the attempt is out...
    expect(
      await upsertCustomer({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          externalId: 'cust_001',
          billingConfiguration: { paymentProvider: null },
        },
      }),
    ).toMatchObject({ ok: false, error: { code: 'payment_processor_is_currently_handling_payment' } });
    // ...and even a link changed behind its back (an older version) cannot redirect the resume.
    const customer = t.store.customers.get(payment.customerId);
    if (!customer) throw new Error('no customer');
    t.store.customers.set(customer.id, { ...customer, billing: { provider: 'none' } } as typeof customer);
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'attempted',
      payment: { id: payment.id, status: 'succeeded', connectionId: connection.id },
    });
  });

  it('idempotency_error on a resume looks the intent up instead of failing: the money is recorded', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collect(t, invoice.id);
    t.gateway.failNext('createPaymentIntent', {
      code: 'invalid_request',
      providerCode: 'idempotency_error',
      message: 'Keys for idempotent requests can only be used with the same parameters.',
    });
    const resumed = expectOk(await collect(t, invoice.id));
    expect(resumed).toMatchObject({
      outcome: 'attempted',
      payment: { status: 'succeeded' },
      invoice: { payment: { status: 'succeeded' }, totalPaidAmountCents: 12_000 },
    });
    expect(t.gateway.calls.map((c) => c.method)).toContain('findPaymentIntent');
  });

  it('resource_missing on a resume with no intent at the provider fails the attempt (no money moved)', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.failNext('createPaymentIntent', { code: 'retryable', reason: 'network', message: 'reset' });
    await collect(t, invoice.id);
    t.gateway.failNext('createPaymentIntent', { code: 'not_found', message: 'No such PaymentMethod' });
    const resumed = expectOk(await collect(t, invoice.id));
    expect(resumed).toMatchObject({
      outcome: 'attempted',
      payment: { status: 'failed', failure: { code: 'not_found' } },
      invoice: { payment: { status: 'failed' } },
    });
  });

  it('a failed look-up changes nothing and is retried', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collect(t, invoice.id);
    t.gateway.failNext('createPaymentIntent', {
      code: 'invalid_request',
      providerCode: 'idempotency_error',
      message: 'Keys for idempotent requests can only be used with the same parameters.',
    });
    t.gateway.failNext('findPaymentIntent', { code: 'retryable', reason: 'server_error', message: '500' });
    expect(await collect(t, invoice.id)).toMatchObject({ ok: false, error: { retryable: true } });
    expect([...t.store.payments.values()][0]).toMatchObject({ status: 'pending' });
  });

  it('an attempt older than the provider keeps its key is looked up by any job, never sent again', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.failNext('createPaymentIntent', { code: 'retryable', reason: 'network', message: 'reset' });
    await collect(t, invoice.id);
    t.clock.advance(25 * 60 * 60 * 1000);
    // e.g. a payment method saved a day later queues a collection for the invoice
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'attempted',
      payment: { status: 'failed' },
      invoice: { payment: { status: 'failed' } },
    });
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(1);
  });

  it('an attempt recorded without its request is looked up, never sent again', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collect(t, invoice.id);
    const payment = [...t.store.payments.values()][0];
    if (!payment) throw new Error('no payment');
    t.store.payments.set(payment.id, { ...payment, request: null });
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'attempted',
      payment: { status: 'succeeded' },
    });
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(1);
  });
});

describe('the provider’s record wins', () => {
  it('payment_intent.succeeded for a payment recorded as failed: payment and invoice follow, logged, no new charge', async () => {
    const t = createTestContext();
    const { invoice, connection } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'outcome', status: 'failed' });
    const failed = expectOk(await collect(t, invoice.id));
    if (failed.outcome !== 'attempted') throw new Error(failed.outcome);
    expect(failed.invoice.payment.status).toBe('failed');
    const providerPaymentId = failed.payment.providerPaymentId ?? '';
    const outcome = {
      providerPaymentId,
      providerStatus: 'succeeded',
      amountCents: 12_000,
      currency: invoice.currency,
    };
    const handled = expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt_late_success',
          occurredAt: t.clock.now(),
          command: {
            kind: 'payment_intent_outcome',
            lagoPaymentId: failed.payment.id,
            lagoInvoiceId: invoice.id,
            outcome: { ...outcome, status: 'succeeded' },
          },
        },
      }),
    );
    expect(handled.result).toBe('payment_succeeded');
    expect(t.store.payments.get(failed.payment.id)).toMatchObject({ status: 'succeeded' });
    expect(t.store.invoices.get(invoice.id)).toMatchObject({
      payment: { status: 'succeeded', paymentId: failed.payment.id },
      totalPaidAmountCents: 12_000,
    });
    expect(t.logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        context: expect.objectContaining({
          paymentId: failed.payment.id,
          invoiceId: invoice.id,
          providerPaymentId,
        }),
      }),
    );
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({ outcome: 'nothing_to_do' });
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(1);
  });
});

describe('reconciliation past the idempotency window', () => {
  /** The one attempt, reconciled more than a day after it was sent. */
  async function reconcileADayLater(t: TestContext) {
    const payment = [...t.store.payments.values()][0];
    if (!payment) throw new Error('no payment');
    t.clock.advance(30 * 60 * 60 * 1000);
    return expectOk(
      await reconcilePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, paymentId: payment.id },
      }),
    );
  }
  const sends = (t: TestContext) => t.gateway.calls.filter((c) => c.method === 'createPaymentIntent').length;

  it('finds the intent by metadata and applies it instead of only logging', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.intentScript.push({ kind: 'lost_response', status: 'succeeded' });
    await collect(t, invoice.id);
    expect(await reconcileADayLater(t)).toMatchObject({ changed: true, payment: { status: 'succeeded' } });
    expect(sends(t)).toBe(1);
  });

  it('with no intent at the provider the attempt fails, so the invoice can be collected again', async () => {
    const t = createTestContext();
    const { invoice } = await linkedWithInvoice(t);
    t.gateway.failNext('createPaymentIntent', { code: 'retryable', reason: 'network', message: 'reset' });
    await collect(t, invoice.id);
    expect(await reconcileADayLater(t)).toMatchObject({ changed: true, payment: { status: 'failed' } });
    expect(sends(t)).toBe(1);
  });
});

describe('collectInvoicePayment with methods that are not saved', () => {
  async function customerOnly(t: TestContext, currency: string, methods: string[], country: string | null) {
    const connection = await givenConnection(t);
    const providerCustomerId = t.gateway.seedCustomer();
    expectOk(
      await upsertCustomer({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          externalId: 'cust_001',
          currency,
          ...(country ? { address: { country } } : {}),
          billingConfiguration: {
            paymentProvider: 'stripe',
            paymentProviderCode: connection.code,
            providerCustomerId,
            providerPaymentMethods: methods,
          },
        },
      }),
    );
    await givenAddOn(t, 'setup_fee', 12_000, currency);
    return { providerCustomerId, invoice: await givenInvoice(t) };
  }

  it('sends a bank transfer without a saved method, recorded so a resume sends the same', async () => {
    const t = createTestContext();
    t.gateway.intentScript.push({ kind: 'outcome', status: 'requires_action' });
    const { invoice } = await customerOnly(t, 'USD', ['customer_balance'], null);
    const result = expectOk(await collect(t, invoice.id));
    if (result.outcome !== 'attempted') throw new Error(result.outcome);
    expect(result.payment).toMatchObject({
      status: 'requires_action',
      providerPaymentMethodId: null,
      request: {
        allowedMethods: ['customer_balance'],
        bankTransfer: { type: 'us_bank_transfer', country: null },
      },
    });
    const [intent] = t.gateway.intentsFor(invoice.id);
    expect(intent).toMatchObject({
      providerPaymentMethodId: null,
      bankTransfer: { type: 'us_bank_transfer', country: null },
    });
    expect(result.invoice.payment.status).toBe('pending');
  });

  it('opens a EUR transfer in the customer country, and fails with missing_country without one Stripe serves', async () => {
    const served = createTestContext();
    const { invoice } = await customerOnly(served, 'EUR', ['customer_balance'], 'NL');
    expectOk(await collect(served, invoice.id));
    expect(served.gateway.intentsFor(invoice.id)[0]?.bankTransfer).toEqual({
      type: 'eu_bank_transfer',
      country: 'NL',
    });

    const t = createTestContext();
    const { invoice: other } = await customerOnly(t, 'EUR', ['customer_balance'], 'IT');
    expect(expectOk(await collect(t, other.id))).toMatchObject({
      outcome: 'failed_without_attempt',
      code: 'missing_country',
    });
    expect(t.gateway.intentsFor(other.id)).toHaveLength(0);
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(1);
  });

  it('never charges crypto off-session: the invoice waits for a payment on its page', async () => {
    const t = createTestContext();
    const { invoice } = await customerOnly(t, 'USD', ['crypto'], null);
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'waiting',
      reason: 'no_payment_method',
    });
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(0);
  });
});
