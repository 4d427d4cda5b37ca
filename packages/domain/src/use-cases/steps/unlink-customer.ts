import { UNLINKED } from '../../machines/billing-link.js';
import type { Customer } from '../../model/customer.js';
import type { Tx } from '../../ports/unit-of-work.js';

/** Removing or switching the provider: the link goes and the saved methods with it. */
export async function unlinkCustomer(tx: Tx, customer: Customer, at: Date): Promise<Customer> {
  if (customer.billing.provider === 'none') return customer;
  for (const method of await tx.paymentMethods.listByCustomer(customer.id)) {
    await tx.paymentMethods.update({ ...method, deletedAt: at, updatedAt: at });
  }
  return { ...customer, billing: UNLINKED, updatedAt: at };
}
