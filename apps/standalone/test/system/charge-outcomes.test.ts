import { updateStripeConnection } from '@payrail/domain';
import { startReceiver } from '@payrail/lago-wire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithMethod,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startWorkerSystem,
} from './harness.js';

let system: System;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const RETURN_URL = 'https://merchant.test/payment-done';

beforeAll(async () => {
  system = await startWorkerSystem();
  receiver = await startReceiver();
  await system.db.webhookEndpoints.create(system.organizationId, {
    webhookUrl: `${receiver.url}/merchant`,
    signatureAlgo: 'hmac',
    name: null,
    eventTypes: [
      'payment.requires_action',
      'payment.succeeded',
      'invoice.payment_failure',
      'invoice.payment_status_updated',
    ],
  });
  const updated = await updateStripeConnection({
    ctx: system.ctx,
    input: {
      organizationId: system.organizationId,
      connectionId: system.connection.id,
      successRedirectUrl: RETURN_URL,
    },
  });
  if (!updated.ok) throw new Error(updated.error.message);
});
afterAll(async () => {
  await system?.stop();
  await receiver?.close();
});

type Body = Record<string, Record<string, unknown>> & { webhook_type: string };
const received = (type: string): Body[] =>
  receiver.received.map((r) => JSON.parse(r.body) as Body).filter((body) => body.webhook_type === type);
const aboutInvoice = (type: string, invoiceId: string) =>
  received(type).filter((b) => JSON.stringify(b).includes(invoiceId));

async function paymentsOf(invoiceId: string) {
  return system.ctx.uow.run(system.organizationId, (tx) => tx.payments.listByInvoice(invoiceId));
}

/** A 3DS card saved through Checkout (the hosted page passes the challenge), then an invoice. */
async function invoiceWaitingForTheCustomer(externalId: string) {
  await customerWithMethod(system, externalId, {
    currency: 'EUR',
    instrument: 'card_authentication_required',
    methods: ['card'],
  });
  const invoice = await oneOffInvoice(system, externalId, 4_200, 'EUR');
  await system.settle();
  const [payment, ...others] = await paymentsOf(invoice.id);
  expect(others).toEqual([]);
  expect(payment).toMatchObject({ status: 'requires_action' });
  expect((await reloadInvoice(system, invoice.id)).payment).toMatchObject({
    status: 'pending',
    inFlightPaymentId: payment?.id,
    waitingFor: 'requires_action',
  });
  const [announced, ...more] = received('payment.requires_action').filter(
    (b) => b.payment?.lago_id === payment?.id,
  );
  expect(more).toEqual([]);
  const providerPaymentId = payment?.providerPaymentId ?? '';
  expect(announced?.payment).toMatchObject({
    lago_id: payment?.id,
    status: 'requires_action',
    next_action: {
      type: 'redirect_to_url',
      redirect_to_url: { return_url: RETURN_URL, url: expect.stringContaining(providerPaymentId) },
    },
  });
  expect(aboutInvoice('invoice.payment_failure', invoice.id)).toEqual([]);
  return { invoice, providerPaymentId, paymentId: payment?.id ?? '' };
}

describe('3D Secure: the payment waits for the customer, then follows the challenge', () => {
  it('a completed challenge pays the invoice through Stripe’s webhook', async () => {
    const { invoice, providerPaymentId, paymentId } = await invoiceWaitingForTheCustomer('cust-3ds-ok');
    await system.controls.authenticate(providerPaymentId, 'success');
    await system.settle();

    expect((await paymentsOf(invoice.id)).map((p) => p.status)).toEqual(['succeeded']);
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('succeeded');
    expect(received('payment.succeeded').map((b) => b.payment?.lago_id)).toContain(paymentId);
    expect(aboutInvoice('invoice.payment_failure', invoice.id)).toEqual([]);
  });

  it('a failed challenge fails the payment and the invoice, and the merchant is told', async () => {
    const { invoice, providerPaymentId } = await invoiceWaitingForTheCustomer('cust-3ds-fail');
    await system.controls.authenticate(providerPaymentId, 'fail');
    await system.settle();

    const [payment] = await paymentsOf(invoice.id);
    expect(payment).toMatchObject({
      status: 'failed',
      failure: { code: 'payment_intent_authentication_failure' },
    });
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('failed');
    const [failure] = aboutInvoice('invoice.payment_failure', invoice.id);
    expect(failure?.payment_provider_invoice_payment_error).toMatchObject({
      lago_invoice_id: invoice.id,
      provider_error: { error_code: 'payment_intent_authentication_failure' },
    });
  });
});

describe('below Stripe’s minimum', () => {
  it('Stripe’s amount_too_small (a currency converted to the USD settlement) leaves the invoice waiting, silently', async () => {
    await customerWithMethod(system, 'cust-twd', {
      currency: 'TWD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    // NT$10.00 is not in Stripe's minimum table, so Payrail cannot pre-check it: Stripe converts it to about $0.31.
    const invoice = await oneOffInvoice(system, 'cust-twd', 1_000, 'TWD');
    await system.settle();

    const [payment, ...others] = await paymentsOf(invoice.id);
    expect(others).toEqual([]);
    expect(payment).toMatchObject({ status: 'failed', failure: { code: 'amount_too_small' } });
    expect(payment?.status === 'failed' && payment.failure.message).toMatch(
      /^Amount must convert to at least 50 cents\. NT\$10\.00 converts to approximately \$0\.31\.$/,
    );
    expect((await reloadInvoice(system, invoice.id)).payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: 'amount_below_provider_minimum',
    });
    expect(aboutInvoice('invoice.payment_failure', invoice.id)).toEqual([]);
    const stored = await query<{ n: number }>(
      system,
      "select count(*)::int as n from $schema.webhook_events where webhook_type = 'invoice.payment_failure' and payload->>'lago_invoice_id' = ?",
      [invoice.id],
    );
    expect(stored[0]?.n).toBe(0);
  });
});
