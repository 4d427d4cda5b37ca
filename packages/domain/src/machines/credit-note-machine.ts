import { type DomainError, notAllowed } from '../errors.js';
import type { CreditNote } from '../model/credit-note.js';
import { err, ok, type Result } from '../result.js';

/**
 * Voids the credit that remains on the note (Lago's `PUT /credit_notes/{id}/void`): the balance
 * drops to zero and the note can no longer be used. A refund already sent is not taken back.
 */
export function voidCreditNote(note: CreditNote, at: Date): Result<CreditNote, DomainError> {
  if (note.creditStatus === 'voided' || note.balanceAmountCents <= 0) {
    return err(notAllowed('no_voidable_amount', 'the credit note has no remaining credit to void'));
  }
  return ok({ ...note, creditStatus: 'voided', balanceAmountCents: 0, updatedAt: at });
}
