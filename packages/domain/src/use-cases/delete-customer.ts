import { notAllowed } from '../errors.js';
import { markDeleted } from '../machines/customer-machine.js';
import type { Customer } from '../model/customer.js';
import { err, ok } from '../result.js';
import { findCustomer } from './steps/find-customer.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { unlinkCustomer } from './steps/unlink-customer.js';
import type { UseCase } from './steps/use-case-context.js';

export interface DeleteCustomerInput extends OrganizationScoped {
  readonly externalId: string;
}

/**
 * Lago's `DELETE /customers/{external_id}`: a soft delete that frees the external id. The Stripe
 * link goes (the Stripe customer itself is left alone at Stripe) and the saved methods with it, so
 * nothing is charged for this customer afterwards; its invoices and payments stay readable.
 * Refused while an attempt is out at the provider: its outcome must land on a live link.
 */
export const deleteCustomer: UseCase<DeleteCustomerInput, Customer> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const found = await findCustomer(tx, input.organizationId, { externalId: input.externalId });
    if (!found.ok) return found;
    if (await tx.payments.findInFlightForCustomer(found.value.id)) {
      return err(
        notAllowed(
          'payment_processor_is_currently_handling_payment',
          'a payment of this customer is in progress',
        ),
      );
    }
    const now = ctx.clock.now();
    const deleted = markDeleted(await unlinkCustomer(tx, found.value, now), now);
    if (!deleted.ok) return deleted;
    // Lago has no webhook for a deleted customer, so no event is published.
    return ok(await tx.customers.update(deleted.value));
  });
