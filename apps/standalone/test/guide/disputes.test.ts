/** Guide: "Payment disputes". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithSavedMethod, eventually, type Guide, oneOffInvoice, startGuide } from './harness.js';

describe('guide: a lost payment dispute', () => {
  let guide: Guide;
  let invoice: Record<string, any>;
  beforeAll(async () => {
    guide = await startGuide();
    const { code, secretKey } = await guide.connect();
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId: 'disputer',
      currency: 'USD',
      code,
      instrument: 'card_dispute',
    });
    invoice = await oneOffInvoice(guide, { externalId: 'disputer', currency: 'USD', amountCents: 8_000 });
    await eventually(
      async () =>
        (await guide.call('GET', `/invoices/${invoice.lago_id}`)).body.invoice.payment_status === 'succeeded',
      'the disputed charge to succeed first',
    );
    const stripe = guide.stripe(secretKey);
    const [intent] = (await stripe.paymentIntents.list({ customer: providerCustomerId })).data;
    const dispute = await eventually(async () => {
      const disputes = await stripe.disputes.list({ payment_intent: intent?.id });
      return disputes.data[0];
    }, 'the dispute Stripe opens');
    await guide.controls.closeDispute(dispute.id, 'lost');
  });
  afterAll(() => guide.stop());

  it('marks the invoice as disputed lost with the time it was lost, and says so by webhook', async () => {
    const lost = await eventually(async () => {
      const got = (await guide.call('GET', `/invoices/${invoice.lago_id}`)).body.invoice;
      return got.payment_dispute_lost_at ? got : undefined;
    }, 'payment_dispute_lost_at');
    expect(Number.isNaN(Date.parse(lost.payment_dispute_lost_at))).toBe(false);
    await eventually(
      () => guide.webhooks.find((w) => w.type === 'invoice.payment_dispute_lost'),
      'invoice.payment_dispute_lost',
    );
  });

  it('no longer lets the invoice be voided', async () => {
    const voided = await guide.call('POST', `/invoices/${invoice.lago_id}/void`);
    expect(voided.status).toBe(405);
    expect(voided.body).toMatchObject({ status: 405, error: 'Method Not Allowed' });
    expect((await guide.call('GET', `/invoices/${invoice.lago_id}`)).body.invoice.status).toBe('finalized');
  });

  it('no longer lets the invoice be resent for collection', async () => {
    const retried = await guide.call('POST', `/invoices/${invoice.lago_id}/retry_payment`);
    expect(retried.status).toBe(405);
    expect(retried.body.status).toBe(405);
  });

  it('refuses a refund to the original payment method', async () => {
    const fee = invoice.fees[0];
    const refused = await guide.call('POST', '/credit_notes', {
      credit_note: {
        invoice_id: invoice.lago_id,
        reason: 'other',
        refund_amount_cents: 1_000,
        credit_amount_cents: 0,
        items: [{ fee_id: fee.lago_id, amount_cents: 1_000 }],
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('validation_errors');
    expect(JSON.stringify(refused.body.error_details)).toContain('dispute');
  });

  it('still allows a credit note', async () => {
    const fee = invoice.fees[0];
    const credited = await guide.call('POST', '/credit_notes', {
      credit_note: {
        invoice_id: invoice.lago_id,
        reason: 'other',
        credit_amount_cents: 1_000,
        refund_amount_cents: 0,
        items: [{ fee_id: fee.lago_id, amount_cents: 1_000 }],
      },
    });
    expect(credited.status).toBe(200);
    expect(credited.body.credit_note).toMatchObject({ credit_amount_cents: 1_000, refund_amount_cents: 0 });
  });
});
