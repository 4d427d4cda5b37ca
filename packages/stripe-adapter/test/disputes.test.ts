import { emulatorControls } from '@payrail/stripe-emulator';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { customerWithMethod, unwrap, useEmulator } from './harness.js';

const harness = useEmulator();

/** Charges a dispute test card; the emulator opens a dispute at once, as Stripe test mode does. */
async function disputedCharges(stripe: Stripe, token: string, count = 1): Promise<Stripe.Dispute[]> {
  const { customerId, paymentMethodId } = await customerWithMethod(stripe, token);
  const disputes: Stripe.Dispute[] = [];
  for (let i = 0; i < count; i++) {
    const pi = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      customer: customerId,
      payment_method: paymentMethodId,
      confirm: true,
      off_session: true,
    });
    const [dispute] = (await stripe.disputes.list({ payment_intent: pi.id })).data;
    if (!dispute) throw new Error('no dispute opened');
    disputes.push(dispute);
  }
  return disputes;
}

describe('listLostDisputes', () => {
  it('returns the disputes closed as lost since the given moment, by when they closed', async () => {
    const account = harness.account();
    const { stripe, gateway } = account;
    const controls = emulatorControls(harness.emulator.url);
    const [lostBefore, lostEarly, lostLate, won] = await disputedCharges(stripe, 'pm_card_createDispute', 4);
    const [inquiry] = await disputedCharges(stripe, 'pm_card_createDisputeInquiry');
    if (!lostBefore || !lostEarly || !lostLate || !won || !inquiry) throw new Error('missing disputes');

    await stripe.disputes.close(lostBefore.id);
    await controls.advanceClock(600);
    const since = new Date((await controls.clock()).now * 1000);
    // The earliest opened closes last: what counts is when it closed.
    await stripe.disputes.update(lostLate.id, { evidence: { uncategorized_text: 'losing_evidence' } });
    await stripe.disputes.update(won.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await stripe.disputes.close(inquiry.id);
    await controls.advanceClock(600);
    const laterAt = (await controls.clock()).now;
    await stripe.disputes.close(lostEarly.id);

    const lost = unwrap(await gateway.listLostDisputes({ closedSince: since }));
    expect(lost.map(({ closedAt: _, ...d }) => d)).toEqual([
      { providerDisputeId: lostLate.id, providerPaymentId: lostLate.payment_intent, reason: 'fraudulent' },
      { providerDisputeId: lostEarly.id, providerPaymentId: lostEarly.payment_intent, reason: 'fraudulent' },
    ]);
    // The emulator's clock runs in real time besides the jumps: allow the seconds the test takes.
    const [late, early] = lost.map((d) => d.closedAt.getTime() / 1000);
    expect(late).toBeGreaterThanOrEqual(since.getTime() / 1000);
    expect(late).toBeLessThan(laterAt);
    expect(early).toBeGreaterThanOrEqual(laterAt);
    expect(early).toBeLessThan(laterAt + 60);
  });

  it('reads every page', async () => {
    const { stripe, gateway } = harness.account();
    const disputes = await disputedCharges(stripe, 'pm_card_createDispute', 105);
    for (const dispute of disputes) await stripe.disputes.close(dispute.id);
    const lost = unwrap(await gateway.listLostDisputes({ closedSince: new Date(0) }));
    expect(new Set(lost.map((d) => d.providerDisputeId))).toEqual(new Set(disputes.map((d) => d.id)));
  });
});
