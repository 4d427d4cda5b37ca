import { notAllowed, notFound, validation } from '../errors.js';
import { recordCreditNote } from '../machines/invoice-machine.js';
import type { Id } from '../model/common.js';
import {
  CREDIT_NOTE_REASONS,
  type CreditNote,
  type CreditNoteReason,
  type Refund,
} from '../model/credit-note.js';
import type { SucceededPayment } from '../model/payment.js';
import { err, ok } from '../result.js';
import { checkCreditNoteAmounts } from '../rules/credit-note-amounts.js';
import { creditNoteNumber, isoDate } from '../rules/numbering.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface CreateCreditNoteInput extends OrganizationScoped {
  readonly invoiceId: Id;
  readonly items: readonly { readonly feeId: Id; readonly amountCents: number }[];
  readonly reason?: string | null;
  readonly description?: string | null;
  readonly creditAmountCents?: number | null;
  readonly refundAmountCents?: number | null;
  readonly offsetAmountCents?: number | null;
}

/**
 * A credit note on a finalized invoice. Credit, refund and offset must add up to the items; a
 * refund needs a paid invoice, never exceeds what remains refundable, and is refused outright
 * after a lost dispute (`cannot_refund_disputed_invoice`, stricter than Lago). The refund itself
 * goes to the provider in a job queued in the same transaction. An offset lowers what collection
 * charges; it is refused while an attempt is out, since that attempt was sent for the old amount.
 */
export const createCreditNote: UseCase<CreateCreditNoteInput, CreditNote> = async ({ ctx, input }) => {
  const reason = (input.reason ?? 'other') as CreditNoteReason;
  if (!CREDIT_NOTE_REASONS.includes(reason)) return err(validation({ reason: ['value_is_invalid'] }));
  if (!Array.isArray(input.items)) return err(validation({ items: ['value_is_invalid'] }));
  const amounts = {
    items: input.items,
    creditAmountCents: input.creditAmountCents ?? 0,
    refundAmountCents: input.refundAmountCents ?? 0,
    offsetAmountCents: input.offsetAmountCents ?? 0,
  };

  return inTx(ctx, input.organizationId, async (tx) => {
    const invoice = await tx.invoices.findById(input.invoiceId);
    if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
    if (invoice.status !== 'finalized') {
      return err(notAllowed('invalid_type_or_status', `a ${invoice.status} invoice cannot be credited`));
    }
    const inFlight = invoice.payment.status === 'pending' && invoice.payment.inFlightPaymentId !== null;
    if (amounts.offsetAmountCents > 0 && inFlight) {
      // The attempt out at the provider was sent for the amount due before this offset.
      return err(
        notAllowed(
          'payment_processor_is_currently_handling_payment',
          'a payment is in progress; offset the invoice once it settles',
        ),
      );
    }
    for (const item of input.items) {
      if (!invoice.fees.some((f) => f.id === item.feeId)) return err(notFound('fee', { fee_id: item.feeId }));
    }
    const previous = await tx.creditNotes.listByInvoice(invoice.id);
    const problems = checkCreditNoteAmounts(invoice, previous, amounts);
    if (Object.keys(problems).length > 0) return err(validation(problems));

    const now = ctx.clock.now();
    let refund: Refund | null = null;
    if (amounts.refundAmountCents > 0) {
      const paid = (await tx.payments.listByInvoice(invoice.id)).filter(
        (p): p is SucceededPayment => p.status === 'succeeded' && p.providerPaymentId !== null,
      );
      const payment = paid.at(-1);
      if (!payment?.providerPaymentId) {
        return err(validation({ refund_amount_cents: ['cannot_refund_unpaid_invoice'] }));
      }
      refund = {
        id: ctx.ids.next('refund'),
        paymentId: payment.id,
        providerPaymentId: payment.providerPaymentId,
        amountCents: amounts.refundAmountCents,
        currency: invoice.currency,
        providerRefundId: null,
        state: { status: 'pending' },
      };
    }

    const sequentialId = await tx.sequences.next({ kind: 'credit_note', invoiceId: invoice.id });
    const creditNote: CreditNote = {
      id: ctx.ids.next('credit_note'),
      organizationId: invoice.organizationId,
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      sequentialId,
      number: creditNoteNumber(invoice.number, sequentialId),
      issuingDate: isoDate(now),
      reason,
      description: input.description ?? null,
      currency: invoice.currency,
      items: input.items.map((item) => ({ id: ctx.ids.next('credit_note_item'), ...item })),
      creditAmountCents: amounts.creditAmountCents,
      refundAmountCents: amounts.refundAmountCents,
      offsetAmountCents: amounts.offsetAmountCents,
      totalAmountCents: amounts.creditAmountCents + amounts.refundAmountCents + amounts.offsetAmountCents,
      balanceAmountCents: amounts.creditAmountCents,
      creditStatus: 'available',
      refund,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    // Bumping the invoice's version makes two concurrent credit notes race, so totals cannot overshoot.
    await tx.invoices.update(
      recordCreditNote(
        invoice,
        {
          creditCents: amounts.creditAmountCents,
          refundCents: amounts.refundAmountCents,
          offsetCents: amounts.offsetAmountCents,
        },
        now,
      ),
    );
    const stored = await tx.creditNotes.insert(creditNote);
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'credit_note.created', { lago_credit_note_id: stored.id }),
    );
    if (amounts.offsetAmountCents > 0 && invoice.payment.status === 'pending') {
      // Collection charges what is due now, and settles the invoice when the offset covers it.
      await tx.jobs.enqueue({
        name: 'payment.collect',
        payload: { organizationId: stored.organizationId, invoiceId: invoice.id },
        dedupeKey: `payment.collect:${invoice.id}`,
      });
    }
    if (refund) {
      await tx.jobs.enqueue({
        name: 'payment.refund',
        payload: { organizationId: stored.organizationId, creditNoteId: stored.id },
        dedupeKey: `payment.refund:${stored.id}`,
      });
    }
    return ok(stored);
  });
};
