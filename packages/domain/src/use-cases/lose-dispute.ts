import { notFound } from '../errors.js';
import { loseDispute as loseDisputeTransition } from '../machines/invoice-machine.js';
import type { FinalizedInvoice, VoidedInvoice } from '../model/invoice.js';
import { err, ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { InvoiceRef } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface LoseDisputeInput extends InvoiceRef {
  /** The provider's dispute reason, echoed as `provider_error`. */
  readonly reason?: string | null;
  /** When the dispute was lost; defaults to now. */
  readonly lostAt?: Date;
}

/**
 * Records a lost dispute once (`payment_dispute_lost_at`) and raises `invoice.payment_dispute_lost`.
 * From then on the invoice cannot be voided, retried or refunded.
 */
export const loseDispute: UseCase<LoseDisputeInput, FinalizedInvoice | VoidedInvoice> = async ({
  ctx,
  input,
}) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const invoice = await tx.invoices.findById(input.invoiceId);
    if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
    const now = ctx.clock.now();
    const lost = loseDisputeTransition(invoice, input.lostAt ?? now, now);
    if (!lost.ok) return lost;
    if (!lost.value.changed) return ok(lost.value.invoice);
    const stored = (await tx.invoices.update(lost.value.invoice)) as FinalizedInvoice | VoidedInvoice;
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'invoice.payment_dispute_lost', {
        lago_invoice_id: stored.id,
        provider_error: input.reason?.trim() || null,
      }),
    );
    const inFlight = stored.payment.status === 'pending' ? stored.payment.inFlightPaymentId : null;
    if (inFlight !== null) {
      // Nothing may reach the provider for this invoice any more: an open payment link's page is
      // read and closed now rather than left payable.
      await tx.jobs.enqueue({
        name: 'payment.reconcile',
        payload: { organizationId: stored.organizationId, paymentId: inFlight },
        dedupeKey: `payment.reconcile:${inFlight}`,
      });
    }
    return ok(stored);
  });
