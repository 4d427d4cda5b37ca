import type { Customer } from '../../model/customer.js';
import type { Tx } from '../../ports/unit-of-work.js';

/** Invoices that waited for a payment method are charged once one exists. */
export async function enqueueAwaitingCollection(tx: Tx, customer: Customer): Promise<void> {
  for (const invoice of await tx.invoices.listAwaitingCollection(customer.id)) {
    await tx.jobs.enqueue({
      name: 'payment.collect',
      payload: { organizationId: customer.organizationId, invoiceId: invoice.id },
      dedupeKey: `payment.collect:${invoice.id}`,
    });
  }
}
