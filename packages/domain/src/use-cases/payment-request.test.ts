import { describe, expect, it } from 'vitest';
import type { FinalizedInvoice } from '../model/invoice.js';
import type { CurrencyCode } from '../money.js';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { collectPaymentRequest } from './collect-payment-request.js';
import { createPaymentRequest } from './create-payment-request.js';
import { handleStripeCommand } from './handle-stripe-command.js';
import { reconcilePayment } from './reconcile-payment.js';
import { voidInvoice } from './void-invoice.js';

async function failedInvoices(t: TestContext, count: number): Promise<FinalizedInvoice[]> {
  const invoices: FinalizedInvoice[] = [];
  for (let i = 0; i < count; i += 1) {
    const invoice = await givenInvoice(t, {
      fees: [{ addOnCode: 'setup_fee', units: String(i + 1) }],
    });
    t.gateway.intentScript.push({ kind: 'outcome', status: 'failed', code: 'card_declined' });
    expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    invoices.push(invoice);
  }
  return invoices;
}

async function setUp(count = 2, customer: Parameters<typeof givenLinkedCustomer>[1] = {}) {
  const t = createTestContext();
  const linked = await givenLinkedCustomer(t, customer);
  await givenAddOn(t, 'setup_fee', 10_000, customer.currency ?? 'EUR');
  const invoices = await failedInvoices(t, count);
  return { t, ...linked, invoices };
}

function request(t: TestContext, invoiceIds: string[], externalCustomerId = 'cust_001') {
  return createPaymentRequest({
    ctx: t.ctx,
    input: { organizationId: t.organization.id, externalCustomerId, email: null, invoiceIds },
  });
}

function collect(t: TestContext, paymentRequestId: string) {
  return collectPaymentRequest({
    ctx: t.ctx,
    input: { organizationId: t.organization.id, paymentRequestId },
  });
}

describe('payment requests', () => {
  it('charges the sum of the overdue invoices once and settles every invoice with it', async () => {
    const { t, invoices, providerCustomerId } = await setUp();
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    expect(created).toMatchObject({
      paymentStatus: 'pending',
      amountCents: 30_000,
      currency: 'EUR',
      email: 'ada@example.com',
      paymentId: null,
    });
    expect(t.store.eventsOfType('payment_request.created')).toHaveLength(1);
    expect(t.store.jobsNamed('payment_request.collect')).toHaveLength(1);

    const settled = expectOk(await collect(t, created.id));
    expect(settled.paymentStatus).toBe('succeeded');
    const payment = t.store.payments.get(settled.paymentId ?? '');
    expect(payment).toMatchObject({ status: 'succeeded', amountCents: 30_000, paymentRequestId: created.id });
    const sent = t.gateway.calls.filter((c) => c.method === 'createPaymentIntent').at(-1)?.input;
    expect(sent).toMatchObject({
      amountCents: 30_000,
      providerCustomerId,
      idempotencyKey: `payment-${payment?.id}`,
      metadata: { lago_payable_type: 'PaymentRequest', lago_payable_id: created.id },
    });
    for (const [index, invoice] of invoices.entries()) {
      expect(t.store.invoices.get(invoice.id)).toMatchObject({
        payment: { status: 'succeeded', paymentId: payment?.id },
        totalPaidAmountCents: (index + 1) * 10_000,
      });
    }
    expect(t.store.eventsOfType('payment_request.payment_status_updated')).toHaveLength(1);
    expect(t.store.eventsOfType('payment.succeeded')).toHaveLength(1);

    // The job running again charges nothing more.
    const intents = t.gateway.calls.filter((c) => c.method === 'createPaymentIntent').length;
    expectOk(await collect(t, created.id));
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(intents);
  });

  it('fails every invoice when the charge fails, with payment_request.payment_failure', async () => {
    const { t, invoices } = await setUp();
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    t.gateway.intentScript.push({
      kind: 'outcome',
      status: 'failed',
      code: 'expired_card',
      message: 'Expired',
    });
    const failed = expectOk(await collect(t, created.id));
    expect(failed).toMatchObject({ paymentStatus: 'failed', failure: { code: 'expired_card' } });
    for (const invoice of invoices) {
      expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({
        status: 'failed',
        paymentId: failed.paymentId,
      });
    }
    const [failure] = t.store.eventsOfType('payment_request.payment_failure');
    expect(failure?.data).toMatchObject({
      lago_payment_request_id: created.id,
      lago_invoice_ids: invoices.map((i) => i.id),
      payment_provider: 'stripe',
      provider_error: { message: 'Expired', error_code: 'expired_card' },
    });
  });

  it('refuses with Lago codes and changes nothing', async () => {
    const { t, invoices, connection } = await setUp(3);
    const [a, b, c] = invoices as [FinalizedInvoice, FinalizedInvoice, FinalizedInvoice];
    expect(await request(t, [a.id, 'no-such-invoice'])).toMatchObject({
      ok: false,
      error: { code: 'invoice_not_found' },
    });
    expect(await request(t, [a.id], 'nobody')).toMatchObject({
      ok: false,
      error: { code: 'customer_not_found' },
    });

    expectOk(
      await voidInvoice({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: c.id } }),
    );
    expect(await request(t, [a.id, c.id])).toMatchObject({
      ok: false,
      error: { code: 'invoices_not_overdue' },
    });

    await givenLinkedCustomer(t, { externalId: 'cust_002', connection });
    const other = await givenInvoice(t, { externalCustomerId: 'cust_002' });
    expect(await request(t, [a.id, other.id])).toMatchObject({
      ok: false,
      error: { code: 'invoice_not_found' },
    });

    await givenAddOn(t, 'usd_fee', 5_000, 'USD');
    const usd = await givenInvoice(t, { fees: [{ addOnCode: 'usd_fee' }], currency: 'USD' });
    expect(await request(t, [a.id, usd.id])).toMatchObject({
      ok: false,
      error: { code: 'invoices_have_different_currencies' },
    });
    expect(t.store.paymentRequests.size).toBe(0);
    expect(t.store.eventsOfType('payment_request.created')).toHaveLength(0);
    expect(t.store.jobsNamed('payment_request.collect')).toHaveLength(0);

    const first = expectOk(await request(t, [a.id, b.id]));
    expect(await request(t, [a.id])).toMatchObject({ ok: true });
    expectOk(await collect(t, first.id));
    expect(await request(t, [a.id])).toMatchObject({ ok: false, error: { code: 'invoices_not_overdue' } });
    expect(t.store.eventsOfType('payment_request.created')).toHaveLength(2);
  });

  it('fails a request whose invoice was paid meanwhile, without charging', async () => {
    const { t, invoices } = await setUp();
    const one = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    const two = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    expect(expectOk(await collect(t, one.id)).paymentStatus).toBe('succeeded');
    const intents = t.gateway.calls.filter((c) => c.method === 'createPaymentIntent').length;
    expect(expectOk(await collect(t, two.id))).toMatchObject({
      paymentStatus: 'failed',
      paymentId: null,
      failure: { code: 'invoices_not_overdue' },
    });
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentIntent')).toHaveLength(intents);
  });

  it('resumes an attempt whose answer was lost with the same key, and one charge', async () => {
    const { t, invoices } = await setUp();
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    t.gateway.failNext('createPaymentIntent', { code: 'retryable', reason: 'network', message: 'reset' });
    expect(await collect(t, created.id)).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    const pending = t.store.paymentRequests.get(created.id);
    const paymentId = pending?.paymentId ?? '';
    expect(t.store.payments.get(paymentId)).toMatchObject({ status: 'pending' });
    for (const invoice of invoices) {
      expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({ inFlightPaymentId: paymentId });
    }
    // The reconciliation sweep finds the attempt and sends it again with its own key.
    const reconciled = expectOk(
      await reconcilePayment({ ctx: t.ctx, input: { organizationId: t.organization.id, paymentId } }),
    );
    expect(reconciled.payment.status).toBe('succeeded');
    expect(t.store.paymentRequests.get(created.id)?.paymentStatus).toBe('succeeded');
    const keys = t.gateway.calls
      .filter((c) => c.method === 'createPaymentIntent')
      .map((c) => (c.input as { idempotencyKey: string }).idempotencyKey)
      .filter((k) => k === `payment-${paymentId}`);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(
      [...t.gateway.intents.values()].filter((i) => i.idempotencyKey === `payment-${paymentId}`),
    ).toHaveLength(1);
  });

  it('applies duplicate and out-of-order webhooks once; a lost dispute marks every invoice', async () => {
    const { t, invoices, connection } = await setUp();
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    const processing = expectOk(await collect(t, created.id));
    const payment = t.store.payments.get(processing.paymentId ?? '');
    const providerPaymentId = payment?.providerPaymentId ?? '';
    const event = (id: string, status: 'succeeded' | 'failed') =>
      handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: id,
          occurredAt: t.clock.now(),
          command: {
            kind: 'payment_intent_outcome',
            lagoPaymentId: payment?.id ?? null,
            lagoInvoiceId: null,
            outcome:
              status === 'succeeded'
                ? {
                    providerPaymentId,
                    providerStatus: 'succeeded',
                    status,
                    amountCents: 30_000,
                    currency: 'EUR' as CurrencyCode,
                  }
                : {
                    providerPaymentId,
                    providerStatus: 'requires_payment_method',
                    status,
                    code: 'card_declined',
                    message: 'declined',
                    amountCents: 30_000,
                    currency: 'EUR' as CurrencyCode,
                  },
          },
        },
      });
    expect(expectOk(await event('evt_1', 'succeeded')).result).toBe('payment_succeeded');
    expect(expectOk(await event('evt_1', 'succeeded')).result).toBe('payment_unchanged');
    expect(expectOk(await event('evt_0', 'failed')).result).toBe('payment_unchanged');
    expect(t.store.paymentRequests.get(created.id)?.paymentStatus).toBe('succeeded');
    expect(t.store.eventsOfType('payment_request.payment_status_updated')).toHaveLength(1);
    expect(t.store.eventsOfType('payment_request.payment_failure')).toHaveLength(0);

    const lost = expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt_dispute',
          occurredAt: t.clock.now(),
          command: {
            kind: 'dispute_closed',
            providerPaymentId,
            result: 'lost',
            reason: 'fraudulent',
            closedAt: t.clock.now(),
          },
        },
      }),
    );
    expect(lost.result).toBe('dispute_lost');
    for (const invoice of invoices) {
      expect(t.store.invoices.get(invoice.id)?.paymentDisputeLostAt).not.toBeNull();
    }
    expect(t.store.eventsOfType('invoice.payment_dispute_lost')).toHaveLength(2);
  });
});

describe('payment requests charged like invoices, whatever the method', () => {
  const sentIntents = (t: TestContext) =>
    t.gateway.calls.filter((c) => c.method === 'createPaymentIntent').map((c) => c.input);

  it('opens one bank transfer for a customer paying by bank transfer, with no saved method', async () => {
    const { t, invoices, providerCustomerId } = await setUp(2, {
      currency: 'USD',
      methods: ['customer_balance'],
      methodType: null,
    });
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    const before = sentIntents(t).length;
    t.gateway.intentScript.push({ kind: 'outcome', status: 'requires_action' });
    const collected = expectOk(await collect(t, created.id));
    expect(collected).toMatchObject({ paymentStatus: 'pending' });
    const payments = [...t.store.payments.values()].filter((p) => p.paymentRequestId === created.id);
    expect(payments).toHaveLength(1);
    const [payment] = payments;
    expect(payment).toMatchObject({
      id: collected.paymentId,
      status: 'requires_action',
      providerPaymentMethodId: null,
      amountCents: 30_000,
      request: {
        allowedMethods: ['customer_balance'],
        bankTransfer: { type: 'us_bank_transfer', country: null },
        methodType: null,
      },
    });
    const sent = sentIntents(t).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      providerCustomerId,
      providerPaymentMethodId: null,
      allowedMethods: ['customer_balance'],
      bankTransfer: { type: 'us_bank_transfer', country: null },
      amountCents: 30_000,
      currency: 'USD',
      idempotencyKey: `payment-${payment?.id}`,
      metadata: { lago_payable_type: 'PaymentRequest', lago_payable_id: created.id },
    });
    for (const invoice of invoices) {
      expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({
        status: 'pending',
        inFlightPaymentId: payment?.id,
      });
    }

    // The job running again opens no second transfer.
    expectOk(await collect(t, created.id));
    expect(sentIntents(t).slice(before)).toHaveLength(1);
  });

  it('fails with missing_country, as an invoice does, when a EUR transfer has no IBAN country', async () => {
    const { t, invoices } = await setUp(1, { methods: ['customer_balance'], methodType: null });
    expect(t.store.invoices.get(invoices[0]?.id ?? '')?.payment).toMatchObject({
      status: 'failed',
      failure: { code: 'missing_country' },
    });
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    const before = sentIntents(t).length;
    expect(expectOk(await collect(t, created.id))).toMatchObject({
      paymentStatus: 'failed',
      paymentId: null,
      failure: { code: 'missing_country' },
    });
    expect(sentIntents(t)).toHaveLength(before);
  });

  it('records a saved boleto so the charge is sent as one that stops for the voucher', async () => {
    const { t, invoices } = await setUp(2, { currency: 'BRL', methods: ['boleto'], methodType: 'boleto' });
    const created = expectOk(
      await request(
        t,
        invoices.map((i) => i.id),
      ),
    );
    const before = sentIntents(t).length;
    t.gateway.intentScript.push({ kind: 'outcome', status: 'requires_action' });
    const collected = expectOk(await collect(t, created.id));
    const payment = t.store.payments.get(collected.paymentId ?? '');
    expect(payment).toMatchObject({
      status: 'requires_action',
      request: { allowedMethods: ['boleto'], bankTransfer: null, methodType: 'boleto' },
    });
    const sent = sentIntents(t).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      methodType: 'boleto',
      bankTransfer: null,
      providerPaymentMethodId: payment?.providerPaymentMethodId,
      idempotencyKey: `payment-${payment?.id}`,
    });
    expect(payment?.providerPaymentMethodId).toMatch(/^pm_/);
  });
});
