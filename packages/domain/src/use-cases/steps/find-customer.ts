import { type DomainError, notFound } from '../../errors.js';
import type { Id } from '../../model/common.js';
import type { Customer } from '../../model/customer.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { err, ok, type Result } from '../../result.js';
import type { CustomerRef } from './references.js';

export async function findCustomer(
  tx: Tx,
  organizationId: Id,
  ref: CustomerRef,
): Promise<Result<Customer, DomainError>> {
  const customer =
    'externalId' in ref
      ? await tx.customers.findByExternalId(organizationId, ref.externalId)
      : await tx.customers.findById(ref.id);
  if (!customer || customer.organizationId !== organizationId || customer.deletedAt)
    return err(notFound('customer'));
  return ok(customer);
}
