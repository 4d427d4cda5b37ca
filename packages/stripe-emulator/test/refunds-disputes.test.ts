import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SETTLE_SECONDS } from '../src/index.js';
import { customerWithBankAccount, customerWithCard, useEmulator } from './harness.js';

const h = useEmulator();

async function paid(stripe: Stripe, token = 'pm_card_visa', amount = 5000) {
  const { customer, pm } = await customerWithCard(stripe, token);
  return stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    customer: customer.id,
    payment_method: pm.id,
    confirm: true,
    off_session: true,
  });
}

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Stripe.errors.StripeError)) throw new Error('expected a Stripe error');
  return err;
}

describe('refunds', () => {
  it('refunds partially then fully, by payment intent or charge', async () => {
    const stripe = h.client();
    const pi = await paid(stripe);
    const partial = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 2000,
      reason: 'requested_by_customer',
    });
    expect(partial).toMatchObject({
      status: 'succeeded',
      amount: 2000,
      payment_intent: pi.id,
      charge: pi.latest_charge,
    });
    let charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: false });
    const tooMuch = await failure(stripe.refunds.create({ charge: charge.id, amount: 4000 }));
    expect(tooMuch.code).toBe('amount_too_large');
    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(3000);
    charge = await stripe.charges.retrieve(charge.id);
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
    const again = await failure(stripe.refunds.create({ payment_intent: pi.id }));
    expect(again.code).toBe('charge_already_refunded');
    const list = await stripe.refunds.list({ payment_intent: pi.id });
    expect(list.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
    const types = (await stripe.events.list({ limit: 2 })).data.map((e) => e.type);
    expect(types).toEqual(['charge.refunded', 'refund.created']);
  });

  it('refuses to refund a payment that did not succeed', async () => {
    const stripe = h.client();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const err = await failure(stripe.refunds.create({ payment_intent: pi.id }));
    expect(err.statusCode).toBe(400);
    const missing = await failure(stripe.refunds.create({}));
    expect(missing.code).toBe('parameter_missing');
  });

  it('pm_card_pendingRefund stays pending until the clock moves', async () => {
    const stripe = h.client();
    const pi = await paid(stripe, 'pm_card_pendingRefund');
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe('pending');
    await h.controls.advanceClock(SETTLE_SECONDS);
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('succeeded');
    const types = (await stripe.events.list({ limit: 2 })).data.map((e) => e.type);
    expect(types).toEqual(['charge.refund.updated', 'refund.updated']);
  });

  it('pm_card_refundFail succeeds, then fails and gives the amount back to the charge', async () => {
    const stripe = h.client();
    const pi = await paid(stripe, 'pm_card_refundFail');
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe('succeeded');
    await h.controls.advanceClock(SETTLE_SECONDS);
    const failed = await stripe.refunds.retrieve(refund.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure_reason).toBeTruthy();
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(0);
    const types = (await stripe.events.list({ limit: 3 })).data.map((e) => e.type);
    expect(types).toEqual(['charge.refund.updated', 'refund.updated', 'refund.failed']);
  });

  it('updates refund metadata', async () => {
    const stripe = h.client();
    const pi = await paid(stripe);
    const refund = await stripe.refunds.create({ payment_intent: pi.id, metadata: { credit_note: 'cn_1' } });
    const updated = await stripe.refunds.update(refund.id, { metadata: { credit_note: 'cn_2' } });
    expect(updated.metadata).toEqual({ credit_note: 'cn_2' });
  });
});

describe('disputes', () => {
  it('opens a dispute as soon as a dispute card is charged', async () => {
    const stripe = h.client();
    const pi = await paid(stripe, 'pm_card_createDispute');
    expect(pi.status).toBe('succeeded');
    const disputes = await stripe.disputes.list({ payment_intent: pi.id });
    expect(disputes.data).toHaveLength(1);
    const dispute = disputes.data[0]!;
    expect(dispute).toMatchObject({
      status: 'needs_response',
      reason: 'fraudulent',
      amount: 5000,
      charge: pi.latest_charge,
      is_charge_refundable: false,
    });
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).disputed).toBe(true);
    const types = (await stripe.events.list({ type: 'charge.dispute.*' })).data.map((e) => e.type);
    expect(types).toEqual(['charge.dispute.funds_withdrawn', 'charge.dispute.created']);
    const refund = await failure(stripe.refunds.create({ payment_intent: pi.id }));
    expect(refund.code).toBe('charge_disputed');
  });

  it.each([
    ['winning_evidence', 'won'],
    ['losing_evidence', 'lost'],
  ])('closes with %s as %s', async (text, outcome) => {
    const stripe = h.client();
    const pi = await paid(stripe, 'pm_card_createDisputeProductNotReceived');
    const [dispute] = (await stripe.disputes.list({ payment_intent: pi.id })).data;
    expect(dispute!.reason).toBe('product_not_received');
    const updated = await stripe.disputes.update(dispute!.id, { evidence: { uncategorized_text: text } });
    expect(updated.status).toBe(outcome);
    expect(updated.evidence.uncategorized_text).toBe(text);
    expect(updated.evidence_details.submission_count).toBe(1);
    const [created] = (await stripe.events.list({ type: 'charge.dispute.created' })).data;
    const snapshot = created!.data.object as Stripe.Dispute;
    expect(snapshot.evidence.uncategorized_text).toBeNull();
    expect(snapshot.evidence_details.submission_count).toBe(0);
    expect(snapshot.status).toBe('needs_response');
    const types = (await stripe.events.list({ type: 'charge.dispute.*', limit: 3 })).data.map((e) => e.type);
    expect(types).toContain('charge.dispute.closed');
    expect(types).toContain('charge.dispute.updated');
  });

  it('stages evidence without submitting, then close() accepts the loss', async () => {
    const stripe = h.client();
    const pi = await paid(stripe, 'pm_card_createDispute');
    const [dispute] = (await stripe.disputes.list({ payment_intent: pi.id })).data;
    const staged = await stripe.disputes.update(dispute!.id, {
      evidence: { customer_name: 'Ada', uncategorized_text: 'winning_evidence' },
      submit: false,
    });
    expect(staged.status).toBe('needs_response');
    expect(staged.evidence_details.has_evidence).toBe(true);
    const closed = await stripe.disputes.close(dispute!.id);
    expect(closed.status).toBe('lost');
    const again = await failure(stripe.disputes.close(dispute!.id));
    expect(again.statusCode).toBe(400);
    const closedEvent = (await stripe.events.list({ type: 'charge.dispute.closed' })).data[0]!;
    expect((closedEvent.data.object as Stripe.Dispute).status).toBe('lost');
  });

  it('the closeDispute control decides the outcome', async () => {
    const stripe = h.client();
    const pi = await paid(stripe, 'pm_card_createDispute');
    const [dispute] = (await stripe.disputes.list({ payment_intent: pi.id })).data;
    const won = await h.controls.closeDispute(dispute!.id, 'won');
    expect(won.status).toBe('won');
    expect((await stripe.disputes.retrieve(dispute!.id)).status).toBe('won');
    const types = (await stripe.events.list({ limit: 2 })).data.map((e) => e.type);
    expect(types).toEqual(['charge.dispute.funds_reinstated', 'charge.dispute.closed']);
  });

  it('bank debit dispute instruments open a dispute once the debit settles', async () => {
    const stripe = h.client();
    const { customer, pm } = await customerWithBankAccount(stripe, 'pm_disputed_at');
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'eur',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    expect((await stripe.disputes.list({ payment_intent: pi.id })).data).toHaveLength(0);
    await h.controls.advanceClock(SETTLE_SECONDS);
    expect((await stripe.disputes.list({ payment_intent: pi.id })).data).toHaveLength(1);
  });

  it('lists disputes and their closing events by creation time', async () => {
    const stripe = h.client();
    const early = await paid(stripe, 'pm_card_createDispute');
    const [first] = (await stripe.disputes.list({ payment_intent: early.id })).data;
    await h.controls.advanceClock(3_600);
    const late = await paid(stripe, 'pm_card_createDispute');
    const [second] = (await stripe.disputes.list({ payment_intent: late.id })).data;
    if (!first || !second) throw new Error('no disputes');
    const ids = (list: Stripe.ApiList<Stripe.Dispute>) => list.data.map((d) => d.id);
    expect(ids(await stripe.disputes.list({ created: { gte: second.created } }))).toEqual([second.id]);
    expect(ids(await stripe.disputes.list({ created: { lt: second.created } }))).toEqual([first.id]);
    expect(ids(await stripe.disputes.list({ created: first.created }))).toEqual([first.id]);
    expect(
      ids(await stripe.disputes.list({ created: { gt: first.created - 1, lte: second.created } })),
    ).toEqual([second.id, first.id]);

    // The dispute opened first closes last: only the event says when.
    await h.controls.advanceClock(3_600);
    const closedAt = (await h.controls.clock()).now;
    await stripe.disputes.close(first.id);
    const closed = await stripe.events.list({ type: 'charge.dispute.closed', created: { gte: closedAt } });
    expect(closed.data.map((e) => (e.data.object as Stripe.Dispute).id)).toEqual([first.id]);
    expect(
      (await stripe.events.list({ type: 'charge.dispute.closed', created: { gt: closedAt + 10 } })).data,
    ).toHaveLength(0);

    const wrong = await failure(stripe.disputes.list({ created: { after: 1 } as never }));
    expect(wrong).toMatchObject({ statusCode: 400, param: 'created[after]' });
  });
});
