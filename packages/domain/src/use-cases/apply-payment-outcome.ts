import { notFound } from '../errors.js';
import type { Id } from '../model/common.js';
import type { Invoice } from '../model/invoice.js';
import type { Payment } from '../model/payment.js';
import type { PaymentIntentOutcome } from '../ports/payment-gateway.js';
import { err } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { settlePayment } from './steps/settle-payment.js';
import type { UseCase } from './steps/use-case-context.js';

export interface ApplyPaymentOutcomeInput extends OrganizationScoped {
  readonly paymentId: Id;
  readonly outcome: PaymentIntentOutcome;
}

export interface PaymentOutcomeResult {
  readonly payment: Payment;
  readonly invoice: Invoice;
  /** False when the outcome was a duplicate or arrived late and changed nothing. */
  readonly changed: boolean;
}

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
