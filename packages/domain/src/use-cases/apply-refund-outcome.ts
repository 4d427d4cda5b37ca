import { notFound } from '../errors.js';
import type { CreditNote } from '../model/credit-note.js';
import { err } from '../result.js';
import type { UseCase } from './context.js';
import type { ApplyRefundOutcomeInput } from './contracts.js';
import { settleRefund } from './settle-refund.js';
import { inTx } from './support.js';

/** pending → succeeded | failed; repeated or late outcomes change nothing. */
export const applyRefundOutcome: UseCase<ApplyRefundOutcomeInput, CreditNote> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const creditNote = await tx.creditNotes.findById(input.creditNoteId);
    if (!creditNote || creditNote.organizationId !== input.organizationId)
      return err(notFound('credit_note'));
    return settleRefund(ctx, tx, creditNote.id, { kind: 'outcome', outcome: input.outcome });
  });
