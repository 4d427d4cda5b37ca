import { notFound } from '../errors.js';
import type { Id } from '../model/common.js';
import type { CreditNote, CreditNoteReason } from '../model/credit-note.js';
import { assertNever, err, ok } from '../result.js';
import { failureCode, gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { settleRefund } from './steps/settle-refund.js';
import type { UseCase } from './steps/use-case-context.js';

export interface RefundCreditNoteInput extends OrganizationScoped {
  readonly creditNoteId: Id;
}

function providerReason(
  reason: CreditNoteReason,
): 'duplicate' | 'requested_by_customer' | 'fraudulent' | null {
  switch (reason) {
    case 'duplicated_charge':
      return 'duplicate';
    case 'product_unsatisfactory':
    case 'order_change':
    case 'order_cancellation':
      return 'requested_by_customer';
    case 'fraudulent_charge':
      return 'fraudulent';
    case 'other':
      return null;
    default:
      return assertNever(reason, 'credit note reason');
  }
}

/**
 * Sends a credit note's refund to the provider with idempotency key `refund-{refund id}`, so a
 * retried job never refunds twice. A dispute lost since the note was created stops the refund.
 */
export const refundCreditNote: UseCase<RefundCreditNoteInput, CreditNote> = async ({ ctx, input }) => {
  const loaded = await inTx(ctx, input.organizationId, async (tx) => {
    const creditNote = await tx.creditNotes.findById(input.creditNoteId);
    if (!creditNote || creditNote.organizationId !== input.organizationId)
      return err(notFound('credit_note'));
    const invoice = await tx.invoices.findById(creditNote.invoiceId);
    const payment = creditNote.refund ? await tx.payments.findById(creditNote.refund.paymentId) : null;
    const connection = payment ? await tx.stripeConnections.findById(payment.connectionId) : null;
    return ok({ creditNote, invoice, connection });
  });
  if (!loaded.ok) return loaded;
  const { creditNote, invoice, connection } = loaded.value;
  const refund = creditNote.refund;
  if (refund?.state.status !== 'pending' || refund.providerRefundId !== null) return ok(creditNote);

  const refusal =
    invoice?.paymentDisputeLostAt != null
      ? { code: 'invoice_dispute_lost', message: 'Refunding is not permitted after a lost payment dispute' }
      : !connection
        ? {
            code: 'missing_payment_provider',
            message: 'The Stripe connection of the payment no longer exists',
          }
        : null;
  if (refusal || !connection) {
    return inTx(ctx, input.organizationId, (tx) =>
      settleRefund(ctx, tx, creditNote.id, {
        kind: 'refused',
        failure: refusal ?? { code: 'missing_payment_provider', message: 'no connection' },
      }),
    );
  }

  const sent = await gatewayFor(ctx, connection).createRefund({
    providerPaymentId: refund.providerPaymentId,
    amountCents: refund.amountCents,
    reason: providerReason(creditNote.reason),
    metadata: {
      lago_customer_id: creditNote.customerId,
      lago_credit_note_id: creditNote.id,
      lago_invoice_id: creditNote.invoiceId,
    },
    idempotencyKey: `refund-${refund.id}`,
  });
  if (!sent.ok && sent.error.code === 'retryable') return err(gatewayFailure(sent.error, connection.code));
  return inTx(ctx, input.organizationId, (tx) =>
    settleRefund(
      ctx,
      tx,
      creditNote.id,
      sent.ok
        ? { kind: 'outcome', outcome: sent.value }
        : { kind: 'refused', failure: { code: failureCode(sent.error), message: sent.error.message } },
    ),
  );
};
