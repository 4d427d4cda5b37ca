import { type DomainError, notFound } from '../errors.js';
import { isFinal } from '../machines/payment-machine.js';
import type { Id } from '../model/common.js';
import type { Payment } from '../model/payment.js';
import { err, ok, type Result } from '../result.js';
import type { PaymentOutcomeResult } from './apply-payment-outcome.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import { IDEMPOTENCY_WINDOW_MS, lookUpAttempt } from './steps/look-up-attempt.js';
import { isLinkPayment, reconcileLink } from './steps/payment-link-attempts.js';
import type { OrganizationScoped } from './steps/references.js';
import { settlePayment } from './steps/settle-payment.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export interface ReconcilePaymentInput extends OrganizationScoped {
  readonly paymentId: Id;
}

export { IDEMPOTENCY_WINDOW_MS } from './steps/look-up-attempt.js';

/**
 * Re-reads an attempt that stayed pending or processing too long, so a lost webhook or answer never
 * leaves an invoice stuck. Applies the same transitions as the webhook would.
 */
export const reconcilePayment: UseCase<ReconcilePaymentInput, PaymentOutcomeResult> = async ({
  ctx,
  input,
}) => {
  const loaded = await inTx(ctx, input.organizationId, async (tx) => {
    const payment = await tx.payments.findById(input.paymentId);
    if (!payment || payment.organizationId !== input.organizationId) return err(notFound('payment'));
    const invoice = await tx.invoices.findById(payment.invoiceId);
    if (!invoice) return err(notFound('invoice'));
    const connection = await tx.stripeConnections.findById(payment.connectionId);
    return ok({ payment, invoice, connection });
  });
  if (!loaded.ok) return loaded;
  const { payment, invoice, connection } = loaded.value;
  if (isFinal(payment) || !connection) return ok({ payment, invoice, changed: false });
  if (isLinkPayment(payment)) return reconcileLink(ctx, payment, invoice, connection);

  if (payment.providerPaymentId === null) {
    const age = ctx.clock.now().getTime() - payment.createdAt.getTime();
    const stillTheAttempt =
      invoice.status === 'finalized' &&
      invoice.payment.status === 'pending' &&
      invoice.payment.inFlightPaymentId === payment.id &&
      invoice.paymentDisputeLostAt === null;
    if (stillTheAttempt && age <= IDEMPOTENCY_WINDOW_MS) return resume(ctx, input.organizationId, payment);
    // Past the key's lifetime a resend could charge twice, and an attempt its invoice no longer
    // waits on must not be sent at all: ask the provider what became of it instead.
    const answer = await lookUpAttempt(gatewayFor(ctx, connection), payment, {
      code: 'not_found',
      message: 'the provider holds no payment intent for this attempt',
    });
    if (!answer.ok) return err(gatewayFailure(answer.error, connection.code));
    const found = answer.value;
    return inTx(ctx, input.organizationId, (tx) => settlePayment(ctx, tx, payment.id, found));
  }

  const read = await gatewayFor(ctx, connection).retrievePaymentIntent({
    providerPaymentId: payment.providerPaymentId,
  });
  if (!read.ok) return err(gatewayFailure(read.error, connection.code));
  return inTx(ctx, input.organizationId, (tx) =>
    settlePayment(ctx, tx, payment.id, { kind: 'outcome', outcome: read.value }),
  );
};

/** Within the key's lifetime the attempt is sent again with its own key and request. */
async function resume(
  ctx: UseCaseContext,
  organizationId: string,
  payment: Payment,
): Promise<Result<PaymentOutcomeResult, DomainError>> {
  const resumed = await collectInvoicePayment({
    ctx,
    input: { organizationId, invoiceId: payment.invoiceId },
  });
  if (!resumed.ok) return resumed;
  return inTx(ctx, organizationId, async (tx) => {
    const p = await tx.payments.findById(payment.id);
    const i = await tx.invoices.findById(payment.invoiceId);
    return p && i
      ? ok({ payment: p, invoice: i, changed: p.version !== payment.version })
      : err(notFound('payment'));
  });
}
