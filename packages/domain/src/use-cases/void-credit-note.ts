import { notFound } from '../errors.js';
import { voidCreditNote as voidTransition } from '../machines/credit-note-machine.js';
import type { CreditNote } from '../model/credit-note.js';
import { err, ok } from '../result.js';
import type { UseCase } from './context.js';
import type { VoidCreditNoteInput } from './contracts.js';
import { inTx } from './support.js';

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
