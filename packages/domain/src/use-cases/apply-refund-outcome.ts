import { notFound } from '../errors.js';
import type { Id } from '../model/common.js';
import type { CreditNote } from '../model/credit-note.js';
import type { RefundOutcome } from '../ports/payment-gateway.js';
import { err } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { settleRefund } from './steps/settle-refund.js';
import type { UseCase } from './steps/use-case-context.js';

export interface ApplyRefundOutcomeInput extends OrganizationScoped {
  readonly creditNoteId: Id;
  readonly outcome: RefundOutcome;
}

/** pending → succeeded | failed; repeated or late outcomes change nothing. */
export const applyRefundOutcome: UseCase<ApplyRefundOutcomeInput, CreditNote> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const creditNote = await tx.creditNotes.findById(input.creditNoteId);
    if (!creditNote || creditNote.organizationId !== input.organizationId)
      return err(notFound('credit_note'));
    return settleRefund(ctx, tx, creditNote.id, { kind: 'outcome', outcome: input.outcome });
  });
