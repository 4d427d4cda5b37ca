import { type DomainError, notFound } from '../../errors.js';
import { releaseFailedRefund } from '../../machines/invoice-machine.js';
import { applyRefundOutcome, failRefund, type RefundTransition } from '../../machines/refund-machine.js';
import type { ProviderFailure } from '../../model/common.js';
import type { CreditNote } from '../../model/credit-note.js';
import type { RefundOutcome } from '../../ports/payment-gateway.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { err, ok, type Result } from '../../result.js';
import { newEvent } from './new-event.js';
import type { UseCaseContext } from './use-case-context.js';

export type RefundAnswer =
  | { readonly kind: 'outcome'; readonly outcome: RefundOutcome }
  | { readonly kind: 'refused'; readonly failure: ProviderFailure };

/**
 * Applies a refund's outcome to its credit note. A failure gives the amount back to what may still
 * be refunded on the invoice and raises `credit_note.refund_failure`.
 */
export async function settleRefund(
  ctx: UseCaseContext,
  tx: Tx,
  creditNoteId: string,
  answer: RefundAnswer,
): Promise<Result<CreditNote, DomainError>> {
  const creditNote = await tx.creditNotes.findById(creditNoteId);
  if (!creditNote) return err(notFound('credit_note'));
  const refund = creditNote.refund;
  if (!refund) return ok(creditNote);
  const now = ctx.clock.now();
  let moved: RefundTransition;
  if (answer.kind === 'outcome') {
    const applied = applyRefundOutcome(refund, answer.outcome, now);
    if (!applied.ok) {
      ctx.logger?.warn('refund outcome for another provider refund ignored', {
        creditNoteId,
        providerRefundId: answer.outcome.providerRefundId,
      });
      return ok(creditNote);
    }
    moved = applied.value;
  } else {
    moved = failRefund(refund, answer.failure, now);
  }
  if (!moved.changed) return ok(creditNote);

  const stored = await tx.creditNotes.update({ ...creditNote, refund: moved.refund, updatedAt: now });
  if (moved.refund.state.status === 'failed') {
    const invoice = await tx.invoices.findById(creditNote.invoiceId);
    if (invoice) await tx.invoices.update(releaseFailedRefund(invoice, refund.amountCents, now));
    const customer = await tx.customers.findById(creditNote.customerId);
    const link = customer?.billing;
    const connection =
      link?.provider === 'stripe' ? await tx.stripeConnections.findById(link.connectionId) : null;
    const payment = await tx.payments.findById(refund.paymentId);
    await tx.outbox.publish(
      newEvent(ctx, creditNote.organizationId, 'credit_note.refund_failure', {
        lago_credit_note_id: creditNote.id,
        lago_customer_id: creditNote.customerId,
        external_customer_id: customer?.externalId ?? '',
        provider_customer_id: payment?.providerCustomerId ?? null,
        payment_provider: 'stripe',
        payment_provider_code: connection?.code ?? null,
        provider_error: {
          message: moved.refund.state.failure.message,
          error_code: moved.refund.state.failure.code,
        },
      }),
    );
  }
  return ok(stored);
}
