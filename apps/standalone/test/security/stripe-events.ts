/**
 * Stripe events on B's connection that name A's objects. B owns its Stripe account, so it can
 * make Stripe send anything about B's own objects (with any metadata) and, holding its endpoint's
 * signing secret, sign any body it likes. None of it may move anything of A.
 */
import { randomBytes } from 'node:crypto';
import { eventually } from '../guide/harness.js';
import type { SecuritySystem } from './system.js';
import type { TenantA, TenantB } from './tenants.js';

/** What B's own Stripe account sends on B's webhook URL, with A's ids in the metadata. */
export async function eventsFromBsAccount(s: SecuritySystem, a: TenantA, b: TenantB): Promise<void> {
  const stripe = s.stripe(b.connection.secretKey);
  const aMetadata = {
    lago_customer_id: a.cardCustomer.id,
    lago_invoice_id: a.paidInvoice.id,
    lago_payment_id: a.payment.id,
    lago_organization_id: a.org.organizationId,
  };
  const customer = await stripe.customers.create({ email: 'bravo@bravo.test', metadata: aMetadata });
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  await stripe.setupIntents.create({
    customer: customer.id,
    payment_method: 'pm_card_visa',
    confirm: true,
    usage: 'off_session',
    metadata: aMetadata,
  });
  const paid = await stripe.paymentIntents.create({
    amount: 12_345,
    currency: 'usd',
    customer: customer.id,
    payment_method: pm.id,
    confirm: true,
    off_session: true,
    metadata: aMetadata,
  });
  // Metadata that claims B's organization and A's payment: "ours, not visible yet", then parked.
  await stripe.paymentIntents
    .create({
      amount: 2_000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_chargeCustomerFail',
      confirm: true,
      off_session: true,
      metadata: {
        ...aMetadata,
        lago_invoice_id: a.openInvoice.id,
        lago_organization_id: b.org.organizationId,
      },
    })
    .catch(() => undefined);
  await stripe.refunds.create({
    payment_intent: paid.id,
    amount: 1_000,
    metadata: { lago_credit_note_id: a.creditNote.id, lago_organization_id: b.org.organizationId },
  });
  const disputed = await stripe.paymentIntents.create({
    amount: 3_000,
    currency: 'usd',
    customer: customer.id,
    payment_method: 'pm_card_createDispute',
    confirm: true,
    off_session: true,
    metadata: aMetadata,
  });
  const disputes = await stripe.disputes.list({ payment_intent: disputed.id });
  for (const dispute of disputes.data) await s.controls.closeDispute(dispute.id, 'lost');
  await stripe.paymentMethods.detach(pm.id);
  await s.controls.waitForDeliveries({ timeoutMs: 30_000 });
}

/** Bodies B signs itself with its endpoint's secret, naming A's Stripe objects directly. */
export function forgedEvents(
  a: TenantA,
  b: TenantB,
): Array<{ type: string; object: unknown; previous?: unknown }> {
  const card = {
    brand: 'visa',
    last4: '4242',
    exp_month: 12,
    exp_year: 2031,
    country: 'US',
    funding: 'credit',
  };
  const aMetadata = {
    lago_customer_id: a.cardCustomer.id,
    lago_invoice_id: a.paidInvoice.id,
    lago_payment_id: a.payment.id,
    lago_organization_id: a.org.organizationId,
  };
  const intent = (status: string, extra: Record<string, unknown> = {}) => ({
    id: a.payment.pi,
    object: 'payment_intent',
    amount: 12_345,
    amount_received: status === 'succeeded' ? 12_345 : 0,
    currency: 'usd',
    customer: a.cardCustomer.cus,
    payment_method: a.paymentMethod.pm,
    status,
    metadata: aMetadata,
    ...extra,
  });
  return [
    { type: 'payment_intent.succeeded', object: intent('succeeded') },
    {
      type: 'payment_intent.payment_failed',
      object: intent('requires_payment_method', {
        last_payment_error: { code: 'card_declined', decline_code: 'generic_decline', message: 'declined' },
      }),
    },
    {
      type: 'payment_intent.succeeded',
      object: intent('succeeded', {
        id: `pi_forged${randomBytes(8).toString('hex')}`,
        metadata: {
          ...aMetadata,
          lago_invoice_id: a.openInvoice.id,
          lago_organization_id: b.org.organizationId,
        },
      }),
    },
    { type: 'payment_intent.canceled', object: intent('canceled') },
    {
      type: 'refund.failed',
      object: {
        id: a.creditNote.re,
        object: 'refund',
        amount: 1_000,
        currency: 'usd',
        payment_intent: a.payment.pi,
        status: 'failed',
        failure_reason: 'lost_or_stolen_card',
        metadata: { lago_credit_note_id: a.creditNote.id, lago_organization_id: a.org.organizationId },
      },
    },
    {
      type: 'charge.refund.updated',
      object: {
        id: a.creditNote.re,
        object: 'refund',
        amount: 1_000,
        currency: 'usd',
        payment_intent: a.payment.pi,
        status: 'canceled',
        metadata: {},
      },
    },
    {
      type: 'charge.dispute.closed',
      object: {
        id: `dp_forged${randomBytes(8).toString('hex')}`,
        object: 'dispute',
        amount: 12_345,
        currency: 'usd',
        charge: `ch_forged${randomBytes(8).toString('hex')}`,
        payment_intent: a.payment.pi,
        reason: 'fraudulent',
        status: 'lost',
      },
    },
    {
      type: 'customer.updated',
      object: {
        id: a.cardCustomer.cus,
        object: 'customer',
        email: 'bravo@bravo.test',
        invoice_settings: { default_payment_method: null },
        metadata: { lago_customer_id: a.cardCustomer.id },
      },
      previous: { invoice_settings: { default_payment_method: a.paymentMethod.pm } },
    },
    {
      type: 'setup_intent.succeeded',
      object: {
        id: `seti_forged${randomBytes(8).toString('hex')}`,
        object: 'setup_intent',
        customer: a.cardCustomer.cus,
        status: 'succeeded',
        usage: 'off_session',
        payment_method: {
          id: `pm_forged${randomBytes(8).toString('hex')}`,
          object: 'payment_method',
          type: 'card',
          customer: a.cardCustomer.cus,
          card,
        },
        metadata: { lago_customer_id: a.cardCustomer.id },
      },
    },
    {
      type: 'payment_method.detached',
      object: { id: a.paymentMethod.pm, object: 'payment_method', type: 'card', customer: null, card },
      previous: { customer: a.cardCustomer.cus },
    },
  ];
}

/** Signs and posts each forged event to B's webhook URL; returns how many the receiver stored. */
export async function postForgedEvents(s: SecuritySystem, a: TenantA, b: TenantB): Promise<number> {
  const stripe = s.stripe(b.connection.secretKey);
  const url = `/webhooks/stripe/${b.org.organizationId}?code=${encodeURIComponent(b.connection.code)}`;
  let stored = 0;
  for (const event of forgedEvents(a, b)) {
    const payload = JSON.stringify({
      id: `evt_forged${randomBytes(8).toString('hex')}`,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: event.type,
      data: { object: event.object, ...(event.previous ? { previous_attributes: event.previous } : {}) },
    });
    const signature = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: b.connection.signingSecret,
    });
    const reply = await s.postStripeEvent(url, payload, { 'stripe-signature': signature });
    if (reply.status !== 200)
      throw new Error(`B's receiver refused a correctly signed event: ${reply.status}`);
    stored += 1;
  }
  return stored;
}

/** Waits until every event B's connection received is processed; returns their outcomes. */
export async function outcomesOfB(
  s: SecuritySystem,
  b: TenantB,
): Promise<Array<{ type: string; outcome: string }>> {
  const db = s.database;
  const read = async () =>
    (await db.orm.em
      .fork()
      .execute(
        `select type, outcome, processed_at from "${db.schema}".stripe_inbox_events where organization_id = ? order by received_at`,
        [b.org.organizationId],
      )) as Array<{ type: string; outcome: string | null; processed_at: Date | null }>;
  const rows = await eventually(
    async () => {
      const all = await read();
      return all.every((r) => r.processed_at !== null) ? all : undefined;
    },
    "B's inbox to be processed",
    60_000,
  );
  return rows.map((r) => ({ type: r.type, outcome: r.outcome ?? '' }));
}
