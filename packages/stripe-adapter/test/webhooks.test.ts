import { randomUUID } from 'node:crypto';
import { type CurrencyCode, type InboundStripeCommand, parseCurrency, Secret } from '@payrail/domain';
import { emulatorControls } from '@payrail/stripe-emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HANDLED_STRIPE_EVENTS,
  parseStripeEvent,
  translateStripeEvent,
  verifyStripeWebhook,
} from '../src/index.js';
import {
  customerWithMethod,
  type TestAccount,
  unknownKey,
  unwrap,
  unwrapErr,
  useEmulator,
} from './harness.js';
import { type ReceivedWebhook, startReceiver } from './receiver.js';

const harness = useEmulator();
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.stop();
});

const organizationId = randomUUID();
const connectionId = randomUUID();
const usd = parseCurrency('USD') as CurrencyCode;

function endpointUrl(code: string): string {
  return `${receiver.url}/webhooks/stripe/${organizationId}?code=${encodeURIComponent(code)}`;
}

async function connect(account: TestAccount, code = 'main') {
  return unwrap(await account.gateway.registerWebhookEndpoint({ url: endpointUrl(code) }));
}

/** Waits for the emulator to deliver everything, then returns what reached this endpoint. */
async function deliveredTo(code: string): Promise<ReceivedWebhook[]> {
  await emulatorControls(harness.emulator.url).waitForDeliveries();
  return receiver.received.filter((r) => r.path.endsWith(`?code=${code}`));
}

describe('webhook endpoint registration', () => {
  it('registers our URL for the handled events at the pinned API version and returns the secret once', async () => {
    const account = harness.account();
    const { providerEndpointId, signingSecret } = await connect(account, 'register');
    expect(providerEndpointId).toMatch(/^we_/);
    expect(signingSecret.reveal()).toMatch(/^whsec_/);
    expect(JSON.stringify({ signingSecret })).not.toContain('whsec_');
    const endpoint = await account.stripe.webhookEndpoints.retrieve(providerEndpointId);
    expect(endpoint).toMatchObject({
      url: endpointUrl('register'),
      enabled_events: [...HANDLED_STRIPE_EVENTS],
      api_version: Stripe.API_VERSION,
      status: 'enabled',
    });
    expect(endpoint.secret ?? null).toBeNull();
  });

  it('updates the URL (a renamed connection code) and keeps the events', async () => {
    const account = harness.account();
    const { providerEndpointId } = await connect(account, 'before');
    unwrap(await account.gateway.updateWebhookEndpoint({ providerEndpointId, url: endpointUrl('after') }));
    const endpoint = await account.stripe.webhookEndpoints.retrieve(providerEndpointId);
    expect(endpoint.url).toBe(endpointUrl('after'));
    expect(endpoint.enabled_events).toEqual([...HANDLED_STRIPE_EVENTS]);
  });

  it('deletes the endpoint, and a second delete is not an error', async () => {
    const account = harness.account();
    const { providerEndpointId } = await connect(account, 'delete');
    unwrap(await account.gateway.deleteWebhookEndpoint({ providerEndpointId }));
    await expect(account.stripe.webhookEndpoints.retrieve(providerEndpointId)).rejects.toThrow(/No such/);
    unwrap(await account.gateway.deleteWebhookEndpoint({ providerEndpointId }));
  });

  it('reports a rejected key as invalid_credentials and registers nothing', async () => {
    const account = harness.account();
    const gateway = account.factory.forConnection({
      connectionId: null,
      secretKey: new Secret(unknownKey()),
    });
    const error = unwrapErr(await gateway.registerWebhookEndpoint({ url: endpointUrl('nope') }));
    expect(error).toEqual({ code: 'invalid_credentials', message: expect.stringMatching(/Invalid API Key/) });
  });

  it('uses the event list given to the factory', async () => {
    const account = harness.account({ webhookEvents: ['payment_intent.succeeded'] });
    const { providerEndpointId } = await connect(account, 'custom-events');
    const endpoint = await account.stripe.webhookEndpoints.retrieve(providerEndpointId);
    expect(endpoint.enabled_events).toEqual(['payment_intent.succeeded']);
  });
});

describe('events signed by the emulator', () => {
  let account: TestAccount;
  let secret: Secret;
  let deliveries: ReceivedWebhook[];
  let commands: InboundStripeCommand[];
  let beforeDetach: number;
  let paymentPageId: string;
  let ids: {
    customerId: string;
    paymentMethodId: string;
    paidIntent: string;
    refundId: string;
    pendingRefundId: string;
  };

  beforeAll(async () => {
    account = harness.account();
    ({ signingSecret: secret } = await connect(account, 'events'));
    const controls = emulatorControls(harness.emulator.url);

    // A customer saves a card through Checkout (setup_intent.succeeded), it becomes the default
    // (customer.updated), an invoice is paid and partly refunded, another attempt is declined,
    // a disputed payment is lost, and finally the card is detached.
    const customer = await account.stripe.customers.create({ name: 'Events' });
    const session = unwrap(
      await account.gateway.createSetupCheckoutSession({
        providerCustomerId: customer.id,
        methods: ['card'],
        successUrl: null,
        currency: null,
        expiresAt: new Date(Date.now() + 3600_000),
      }),
    );
    expect((await controls.completeCheckout(session.providerSessionId)).ok).toBe(true);
    const [saved] = unwrap(await account.gateway.listPaymentMethods({ providerCustomerId: customer.id }));
    if (!saved) throw new Error('checkout saved no method');
    unwrap(
      await account.gateway.setDefaultPaymentMethod({
        providerCustomerId: customer.id,
        providerPaymentMethodId: saved.providerPaymentMethodId,
      }),
    );
    const paid = unwrap(
      await account.gateway.createPaymentIntent({
        amountCents: 4_200,
        currency: usd,
        providerCustomerId: customer.id,
        providerPaymentMethodId: saved.providerPaymentMethodId,
        allowedMethods: ['card'],
        description: 'Invoice EVT-1',
        returnUrl: null,
        metadata: { lago_payment_id: 'pay-evt-1', lago_invoice_id: 'inv-evt-1' },
        idempotencyKey: 'payment-evt-1',
      }),
    );
    const refund = unwrap(
      await account.gateway.createRefund({
        providerPaymentId: paid.providerPaymentId,
        amountCents: 1_000,
        reason: null,
        metadata: { lago_credit_note_id: 'cn-evt-1' },
        idempotencyKey: 'cn-evt-1',
      }),
    );
    const failing = await customerWithMethod(account.stripe, 'pm_card_chargeCustomerFail');
    await account.gateway.createPaymentIntent({
      amountCents: 4_200,
      currency: usd,
      providerCustomerId: failing.customerId,
      providerPaymentMethodId: failing.paymentMethodId,
      allowedMethods: ['card'],
      description: 'Invoice EVT-2',
      returnUrl: null,
      metadata: { lago_payment_id: 'pay-evt-2', lago_invoice_id: 'inv-evt-2' },
      idempotencyKey: 'payment-evt-2',
    });
    const disputed = await customerWithMethod(account.stripe, 'pm_card_createDispute');
    const disputedPi = unwrap(
      await account.gateway.createPaymentIntent({
        amountCents: 4_200,
        currency: usd,
        providerCustomerId: disputed.customerId,
        providerPaymentMethodId: disputed.paymentMethodId,
        allowedMethods: ['card'],
        description: 'Invoice EVT-3',
        returnUrl: null,
        metadata: { lago_payment_id: 'pay-evt-3' },
        idempotencyKey: 'payment-evt-3',
      }),
    );
    const dispute = (await account.stripe.disputes.list({ payment_intent: disputedPi.providerPaymentId }))
      .data[0];
    if (!dispute) throw new Error('the emulator opened no dispute');
    await controls.closeDispute(dispute.id, 'lost');
    // The same customer pays another invoice through a payment link's page.
    const page = unwrap(
      await account.gateway.createPaymentCheckoutSession({
        providerCustomerId: customer.id,
        amountCents: 2_500,
        currency: usd,
        lineItemName: 'EVT-5',
        allowedMethods: ['card'],
        description: 'Invoice EVT-5',
        successUrl: null,
        metadata: { lago_payment_id: 'pay-evt-5', lago_invoice_id: 'inv-evt-5' },
        idempotencyKey: 'payment-evt-5',
      }),
    );
    expect((await controls.completeCheckout(page.providerSessionId)).ok).toBe(true);
    paymentPageId = page.providerSessionId;
    const slowRefund = await customerWithMethod(account.stripe, 'pm_card_pendingRefund');
    const slowPi = unwrap(
      await account.gateway.createPaymentIntent({
        amountCents: 4_200,
        currency: usd,
        providerCustomerId: slowRefund.customerId,
        providerPaymentMethodId: slowRefund.paymentMethodId,
        allowedMethods: ['card'],
        description: 'Invoice EVT-4',
        returnUrl: null,
        metadata: { lago_payment_id: 'pay-evt-4' },
        idempotencyKey: 'payment-evt-4',
      }),
    );
    const pendingRefund = unwrap(
      await account.gateway.createRefund({
        providerPaymentId: slowPi.providerPaymentId,
        amountCents: 4_200,
        reason: null,
        metadata: { lago_credit_note_id: 'cn-evt-4' },
        idempotencyKey: 'cn-evt-4',
      }),
    );
    expect(pendingRefund.status).toBe('pending');
    await controls.advanceClock(24 * 3600);

    ids = {
      customerId: customer.id,
      paymentMethodId: saved.providerPaymentMethodId,
      paidIntent: paid.providerPaymentId,
      refundId: refund.providerRefundId,
      pendingRefundId: pendingRefund.providerRefundId,
    };
    // Events are translated as the worker would: soon after they arrive, before the card is detached.
    deliveries = [...(await deliveredTo('events'))];
    commands = [];
    for (const delivery of deliveries) commands.push(await translate(delivery));
    beforeDetach = commands.length;
    await account.stripe.paymentMethods.detach(saved.providerPaymentMethodId);
    for (const delivery of (await deliveredTo('events')).slice(deliveries.length)) {
      deliveries.push(delivery);
      commands.push(await translate(delivery));
    }
  });

  async function translate(delivery: ReceivedWebhook): Promise<InboundStripeCommand> {
    const event = unwrap(
      verifyStripeWebhook({ rawBody: delivery.body, signatureHeader: delivery.signature, secret }),
    );
    return unwrap(
      await translateStripeEvent(event, { organizationId, connectionId, paymentMethods: account.gateway }),
    );
  }

  it('delivers only the handled events, each verifying with the endpoint’s secret', () => {
    const types = deliveries.map((d) => unwrap(parseStripeEvent(d.body)).type);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(HANDLED_STRIPE_EVENTS).toContain(type);
    expect(new Set(types)).toEqual(
      new Set([
        'setup_intent.succeeded',
        'customer.updated',
        'payment_intent.succeeded',
        'payment_intent.payment_failed',
        'charge.dispute.closed',
        'payment_method.detached',
        'checkout.session.completed',
        ...types.filter((t) => t.startsWith('refund.') || t === 'charge.refund.updated'),
      ]),
    );
  });

  it('translates every delivered event into a domain command for our connection', () => {
    for (const command of commands) {
      expect(command).toMatchObject({ organizationId, connectionId });
      expect(command.providerEventId).toMatch(/^evt_/);
      expect(command.occurredAt).toBeInstanceOf(Date);
    }
    const kinds = commands.map((c) => c.command);
    expect(kinds).toContainEqual({
      kind: 'setup_succeeded',
      providerCustomerId: ids.customerId,
      paymentMethod: expect.objectContaining({ providerPaymentMethodId: ids.paymentMethodId, type: 'card' }),
    });
    expect(kinds).toContainEqual({
      kind: 'customer_default_payment_method_changed',
      providerCustomerId: ids.customerId,
      paymentMethod: expect.objectContaining({ providerPaymentMethodId: ids.paymentMethodId }),
    });
    expect(kinds).toContainEqual({
      kind: 'payment_intent_outcome',
      lagoPaymentId: 'pay-evt-1',
      lagoInvoiceId: 'inv-evt-1',
      outcome: expect.objectContaining({
        providerPaymentId: ids.paidIntent,
        status: 'succeeded',
        amountCents: 4_200,
      }),
    });
    expect(kinds).toContainEqual({
      kind: 'payment_intent_outcome',
      lagoPaymentId: 'pay-evt-2',
      lagoInvoiceId: 'inv-evt-2',
      outcome: expect.objectContaining({ status: 'failed', code: 'card_declined' }),
    });
    expect(kinds).toContainEqual(
      expect.objectContaining({ kind: 'dispute_closed', result: 'lost', reason: 'fraudulent' }),
    );
    expect(kinds).toContainEqual({
      kind: 'payment_checkout_changed',
      lagoPaymentId: 'pay-evt-5',
      providerSessionId: paymentPageId,
    });
    expect(kinds).toContainEqual({
      kind: 'payment_intent_outcome',
      lagoPaymentId: 'pay-evt-5',
      lagoInvoiceId: 'inv-evt-5',
      outcome: expect.objectContaining({ status: 'succeeded', amountCents: 2_500 }),
    });
    expect(kinds).toContainEqual({ kind: 'ignored', reason: 'checkout session in setup mode' });
    expect(kinds).toContainEqual({
      kind: 'refund_outcome',
      lagoCreditNoteId: 'cn-evt-4',
      outcome: expect.objectContaining({ providerRefundId: ids.pendingRefundId, status: 'succeeded' }),
    });
    expect(kinds).toContainEqual({
      kind: 'payment_method_detached',
      providerCustomerId: ids.customerId,
      providerPaymentMethodId: ids.paymentMethodId,
    });
  });

  it('after the card is detached, the default is reported cleared', () => {
    const afterDetach = commands.slice(beforeDetach).map((c) => c.command);
    expect(afterDetach.map((c) => c.kind)).toContain('payment_method_detached');
    expect(afterDetach).toContainEqual({
      kind: 'customer_default_payment_method_changed',
      providerCustomerId: ids.customerId,
      paymentMethod: null,
    });
  });

  it('ignores a setup event processed after its method was detached', async () => {
    const setup = deliveries.find((d) => unwrap(parseStripeEvent(d.body)).type === 'setup_intent.succeeded');
    if (!setup) throw new Error('no setup_intent.succeeded delivery');
    expect((await translate(setup)).command).toEqual({
      kind: 'ignored',
      reason: 'the saved payment method is no longer attached',
    });
  });

  it('rejects a wrong secret, a changed body and a timestamp older than 300 s', () => {
    const delivery = deliveries[0];
    if (!delivery?.signature) throw new Error('no delivery');
    const timestamp = Number(/t=(\d+)/.exec(delivery.signature)?.[1]);

    expect(
      unwrapErr(
        verifyStripeWebhook({
          rawBody: delivery.body,
          signatureHeader: delivery.signature,
          secret: 'whsec_not_the_right_one',
        }),
      ).code,
    ).toBe('bad_signature');
    expect(
      unwrapErr(
        verifyStripeWebhook({
          rawBody: delivery.body.replace('evt_', 'evt_x'),
          signatureHeader: delivery.signature,
          secret,
        }),
      ).code,
    ).toBe('bad_signature');
    expect(
      unwrapErr(
        verifyStripeWebhook({
          rawBody: delivery.body,
          signatureHeader: delivery.signature,
          secret,
          now: new Date((timestamp + 301) * 1000),
        }),
      ).code,
    ).toBe('too_old');
    expect(
      verifyStripeWebhook({
        rawBody: delivery.body,
        signatureHeader: delivery.signature,
        secret,
        now: new Date((timestamp + 299) * 1000),
      }).ok,
    ).toBe(true);
  });
});
