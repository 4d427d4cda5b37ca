import { createCreditNote } from '@payrail/domain';
import { startReceiver } from '@payrail/lago-wire/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeCheckout,
  customerWithMethod,
  linkCustomer,
  loadCustomer,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startWorkerSystem,
} from './harness.js';

let system: System;
let stripe: Stripe;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  system = await startWorkerSystem();
  receiver = await startReceiver();
  await system.db.webhookEndpoints.create(system.organizationId, {
    webhookUrl: `${receiver.url}/merchant`,
    signatureAlgo: 'hmac',
    name: null,
    eventTypes: ['invoice.payment_dispute_lost', 'credit_note.created', 'invoice.payment_failure'],
  });
  const url = new URL(system.emulator.url);
  stripe = new Stripe('sk_test_payrail_e2e', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 0,
  });
});
afterAll(async () => {
  await system?.stop();
  await receiver?.close();
});

const received = (type: string) =>
  receiver.received.map((r) => JSON.parse(r.body)).filter((body) => body.webhook_type === type);

const providerCustomerId = (customer: Awaited<ReturnType<typeof loadCustomer>>) => {
  if (customer.billing.provider !== 'stripe' || customer.billing.providerCustomer.status !== 'linked') {
    throw new Error('customer is not linked');
  }
  return customer.billing.providerCustomer.providerCustomerId;
};

const localMethods = (customerId: string) =>
  system.ctx.uow.run(system.organizationId, (tx) => tx.paymentMethods.listByCustomer(customerId));

async function announced(type: string): Promise<Record<string, unknown>[]> {
  const rows = await query<{ payload: Record<string, unknown> }>(
    system,
    'select payload from $schema.webhook_events where webhook_type = ? order by created_at',
    [type],
  );
  return rows.map((r) => r.payload);
}

describe('Stripe events drive the customer, payment, dispute and refund states', () => {
  it('setup_intent.succeeded sets the default in Stripe and locally and charges the waiting invoices', async () => {
    const { customerId, sessionId } = await linkCustomer(system, 'cust-waiting', {
      currency: 'USD',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-waiting', 1_500, 'USD');
    await system.settle();
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('pending');

    await completeCheckout(system, sessionId, 'card_visa');

    const customer = await loadCustomer(system, customerId);
    const [method] = await localMethods(customerId);
    expect(method).toBeDefined();
    expect(customer.billing).toMatchObject({ defaultPaymentMethod: { paymentMethodId: method?.id } });
    const remote = await stripe.customers.retrieve(providerCustomerId(customer));
    expect((remote as Stripe.Customer).invoice_settings.default_payment_method).toBe(
      method?.providerPaymentMethodId,
    );
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('succeeded');
  });

  it('customer.updated brings a default chosen in Stripe over, payment_method.detached removes a method', async () => {
    const customer = await customerWithMethod(system, 'cust-switch', {
      currency: 'USD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    const cus = providerCustomerId(customer);
    const other = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: cus });
    await stripe.customers.update(cus, { invoice_settings: { default_payment_method: other.id } });
    await system.settle();

    const methods = await localMethods(customer.id);
    const mastercard = methods.find((m) => m.providerPaymentMethodId === other.id);
    expect(mastercard).toBeDefined();
    expect((await loadCustomer(system, customer.id)).billing).toMatchObject({
      defaultPaymentMethod: { paymentMethodId: mastercard?.id },
    });

    await stripe.paymentMethods.detach(other.id);
    await system.settle();
    expect((await localMethods(customer.id)).map((m) => m.providerPaymentMethodId)).not.toContain(other.id);
  });

  it('charge.dispute.closed with "lost" applies the lost dispute and announces it', async () => {
    await customerWithMethod(system, 'cust-dispute', {
      currency: 'USD',
      instrument: 'card_dispute',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-dispute', 5_000, 'USD');
    await system.settle();
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('succeeded');

    const [payment] = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.payments.listByInvoice(invoice.id),
    );
    const disputes = await stripe.disputes.list({ payment_intent: payment?.providerPaymentId ?? '' });
    expect(disputes.data).toHaveLength(1);
    await system.controls.closeDispute(disputes.data[0]?.id ?? '', 'lost');
    await system.settle();

    expect((await reloadInvoice(system, invoice.id)).paymentDisputeLostAt).not.toBeNull();
    expect(await announced('invoice.payment_dispute_lost')).toEqual([
      { lago_invoice_id: invoice.id, provider_error: 'fraudulent' },
    ]);
    const [sent] = received('invoice.payment_dispute_lost');
    expect(sent).toMatchObject({
      object_type: 'payment_dispute_lost',
      organization_id: system.organizationId,
      payment_dispute_lost: { invoice: { lago_id: invoice.id }, provider_error: 'fraudulent' },
    });
  });

  it('charge.refund.updated settles a pending credit note refund', async () => {
    // Stripe also sends refund.updated for the same change; this endpoint gets only the charge.* event,
    // so the refund can settle through nothing else.
    const endpointId = system.connection.webhookEndpoint.providerEndpointId;
    const enabled = (await stripe.webhookEndpoints.retrieve(endpointId)).enabled_events;
    expect(enabled).toContain('charge.refund.updated');
    await stripe.webhookEndpoints.update(endpointId, {
      enabled_events: enabled.filter(
        (e) => !e.startsWith('refund.'),
      ) as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
    });
    try {
      await refundSettlesThroughChargeRefundUpdated();
    } finally {
      await stripe.webhookEndpoints.update(endpointId, {
        enabled_events: enabled as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
      });
    }
  });

  async function refundSettlesThroughChargeRefundUpdated() {
    await customerWithMethod(system, 'cust-refund', {
      currency: 'USD',
      instrument: 'card_pending_refund',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-refund', 3_000, 'USD');
    await system.settle();
    const paid = await reloadInvoice(system, invoice.id);
    expect(paid.payment.status).toBe('succeeded');

    const note = await createCreditNote({
      ctx: system.ctx,
      input: {
        organizationId: system.organizationId,
        invoiceId: invoice.id,
        items: [{ feeId: paid.fees[0]?.id ?? '', amountCents: 3_000 }],
        reason: 'other',
        refundAmountCents: 3_000,
        creditAmountCents: 0,
      },
    });
    if (!note.ok) throw new Error(note.error.message);
    await system.settle();
    const refundOf = async () =>
      (await system.ctx.uow.run(system.organizationId, (tx) => tx.creditNotes.findById(note.value.id)))
        ?.refund;
    const sent = await refundOf();
    expect(sent?.providerRefundId).toMatch(/^re_/);
    expect(sent?.state.status).toBe('pending');

    await system.controls.advanceClock(3_600);
    await system.settle();
    expect((await refundOf())?.state.status).toBe('succeeded');
    expect(received('credit_note.created').map((b) => b.credit_note.lago_id)).toContain(note.value.id);
    const outcomes = await query<{ outcome: string }>(
      system,
      "select outcome from $schema.stripe_inbox_events where type = 'charge.refund.updated'",
    );
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => !o.outcome.startsWith('parked'))).toBe(true);
    const otherRefundEvents = await query<{ type: string }>(
      system,
      "select type from $schema.stripe_inbox_events where type like 'refund.%'",
    );
    expect(otherRefundEvents).toEqual([]);
  }

  it('a declined charge fails the invoice and the merchant receives invoice.payment_failure', async () => {
    await customerWithMethod(system, 'cust-declined', {
      currency: 'USD',
      instrument: 'card_charge_customer_fail',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-declined', 2_000, 'USD');
    await system.settle();
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('failed');
    const [sent] = received('invoice.payment_failure');
    expect(sent).toMatchObject({
      object_type: 'payment_provider_invoice_payment_error',
      payment_provider_invoice_payment_error: {
        lago_invoice_id: invoice.id,
        external_customer_id: 'cust-declined',
        payment_provider: 'stripe',
        provider_error: { error_code: 'card_declined' },
      },
    });
  });
});
