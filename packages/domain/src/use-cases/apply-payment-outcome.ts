import { notFound } from '../errors.js';
import { err } from '../result.js';
import type { UseCase } from './context.js';
import type { ApplyPaymentOutcomeInput, PaymentOutcomeResult } from './contracts.js';
import { settlePayment } from './settle-payment.js';
import { inTx } from './support.js';

/** What the provider reports about an attempt, applied through the payment state machine. */
export const applyPaymentOutcome: UseCase<ApplyPaymentOutcomeInput, PaymentOutcomeResult> = async ({
  ctx,
  input,
}) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const payment = await tx.payments.findById(input.paymentId);
    if (!payment || payment.organizationId !== input.organizationId) return err(notFound('payment'));
    return settlePayment(ctx, tx, payment.id, { kind: 'outcome', outcome: input.outcome });
  });
