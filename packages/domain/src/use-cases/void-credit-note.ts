import { notFound } from '../errors.js';
import { voidCreditNote as voidTransition } from '../machines/credit-note-machine.js';
import type { Id } from '../model/common.js';
import type { CreditNote } from '../model/credit-note.js';
import { err, ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface VoidCreditNoteInput extends OrganizationScoped {
  readonly creditNoteId: Id;
}

/**
 * Voids the remaining credit of a note. Lago sends no webhook for this, so no event is published;
 * the note's refund, if any, goes on as before.
 */
export const voidCreditNote: UseCase<VoidCreditNoteInput, CreditNote> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const note = await tx.creditNotes.findById(input.creditNoteId);
    if (!note || note.organizationId !== input.organizationId) return err(notFound('credit_note'));
    const voided = voidTransition(note, ctx.clock.now());
    if (!voided.ok) return voided;
    return ok(await tx.creditNotes.update(voided.value));
  });
