import { type CurrencyCode, parseCurrency } from '@payrail/domain';
import { emulatorControls } from '@payrail/stripe-emulator';
import { describe, expect, it } from 'vitest';
import { customerWithMethod, type TestAccount, unwrap, unwrapErr, useEmulator } from './harness.js';

const harness = useEmulator();

async function paidIntent(account: TestAccount, token = 'pm_card_visa'): Promise<string> {
  const { customerId, paymentMethodId } = await customerWithMethod(account.stripe, token);
  const outcome = unwrap(
    await account.gateway.createPaymentIntent({
      amountCents: 10_000,
      currency: parseCurrency('USD') as CurrencyCode,
      providerCustomerId: customerId,
      providerPaymentMethodId: paymentMethodId,
      allowedMethods: ['card'],
      description: 'Invoice to refund',
      returnUrl: null,
      metadata: { lago_payment_id: 'pay-r' },
      idempotencyKey: `payment-${Math.random().toString(36).slice(2)}`,
    }),
  );
  expect(outcome.status).toBe('succeeded');
  return outcome.providerPaymentId;
}

describe('createRefund', () => {
  it('refunds part of a payment with reason and metadata, once per credit note', async () => {
    const account = harness.account();
    const pi = await paidIntent(account);
    const input = {
      providerPaymentId: pi,
      amountCents: 2_500,
      reason: 'requested_by_customer' as const,
      metadata: { lago_credit_note_id: 'cn-1', lago_invoice_id: 'inv-1', lago_customer_id: 'c-1' },
      idempotencyKey: 'cn-1',
    };
    const outcome = unwrap(await account.gateway.createRefund(input));
    expect(outcome).toMatchObject({ status: 'succeeded', providerPaymentId: pi, amountCents: 2_500 });
    expect(outcome.providerRefundId).toMatch(/^re_/);
    const again = unwrap(await account.gateway.createRefund(input));
    expect(again.providerRefundId).toBe(outcome.providerRefundId);
    const refunds = await account.stripe.refunds.list({ payment_intent: pi });
    expect(refunds.data).toHaveLength(1);
    expect(refunds.data[0]).toMatchObject({ reason: 'requested_by_customer', metadata: input.metadata });
  });

  it('reports a refund that settles later as pending', async () => {
    const account = harness.account();
    const pi = await paidIntent(account, 'pm_card_pendingRefund');
    const outcome = unwrap(
      await account.gateway.createRefund({
        providerPaymentId: pi,
        amountCents: 10_000,
        reason: null,
        metadata: {},
        idempotencyKey: 'cn-pending',
      }),
    );
    expect(outcome.status).toBe('pending');
  });

  it('survives a lost response: the retry with the same key returns the one refund', async () => {
    const account = harness.account({ maxNetworkRetries: 0 });
    const pi = await paidIntent(account);
    await emulatorControls(harness.emulator.url).injectFault({
      kind: 'server_error_after_commit',
      method: 'POST',
      path: '/v1/refunds',
    });
    const input = {
      providerPaymentId: pi,
      amountCents: 1_000,
      reason: null,
      metadata: {},
      idempotencyKey: 'cn-lost',
    };
    expect(unwrapErr(await account.gateway.createRefund(input))).toMatchObject({ code: 'retryable' });
    const retried = unwrap(await account.gateway.createRefund(input));
    const refunds = await account.stripe.refunds.list({ payment_intent: pi });
    expect(refunds.data.map((r) => r.id)).toEqual([retried.providerRefundId]);
  });

  it('maps a refund above what is left to invalid_request', async () => {
    const account = harness.account();
    const pi = await paidIntent(account);
    const error = unwrapErr(
      await account.gateway.createRefund({
        providerPaymentId: pi,
        amountCents: 20_000,
        reason: null,
        metadata: {},
        idempotencyKey: 'cn-too-much',
      }),
    );
    expect(error.code).toBe('invalid_request');
  });
});
