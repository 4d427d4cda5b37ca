import { notFound } from '../errors.js';
import { isFinal } from '../machines/payment-machine.js';
import { err, ok } from '../result.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import type { UseCase } from './context.js';
import type { PaymentOutcomeResult, ReconcilePaymentInput } from './contracts.js';
import { settlePayment } from './settle-payment.js';
import { gatewayFailure, gatewayFor, inTx } from './support.js';

/**
 * Stripe keeps idempotency keys for at least 24 hours; within that window an unanswered attempt is
 * resumed with its own key. After it, resending could charge twice, so the payment is left for
 * an operator and logged.
 */
export const IDEMPOTENCY_WINDOW_MS = 23 * 60 * 60 * 1000;

/**
 * Re-reads an attempt that stayed pending or processing too long, so a lost webhook never leaves
 * an invoice stuck. Applies the same transitions as the webhook would.
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

  if (payment.providerPaymentId === null) {
    const age = ctx.clock.now().getTime() - payment.createdAt.getTime();
    if (age > IDEMPOTENCY_WINDOW_MS) {
      ctx.logger?.error('payment never answered and past the idempotency window; needs an operator', {
        paymentId: payment.id,
        invoiceId: payment.invoiceId,
      });
      return ok({ payment, invoice, changed: false });
    }
    const resumed = await collectInvoicePayment({
      ctx,
      input: { organizationId: input.organizationId, invoiceId: invoice.id },
    });
    if (!resumed.ok) return resumed;
    const after = await inTx(ctx, input.organizationId, async (tx) => {
      const p = await tx.payments.findById(payment.id);
      const i = await tx.invoices.findById(invoice.id);
      return p && i
        ? ok({ payment: p, invoice: i, changed: p.version !== payment.version })
        : err(notFound('payment'));
    });
    return after;
  }

  const read = await gatewayFor(ctx, connection).retrievePaymentIntent({
    providerPaymentId: payment.providerPaymentId,
  });
  if (!read.ok) return err(gatewayFailure(read.error, connection.code));
  return inTx(ctx, input.organizationId, (tx) =>
    settlePayment(ctx, tx, payment.id, { kind: 'outcome', outcome: read.value }),
  );
};
