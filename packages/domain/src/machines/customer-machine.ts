import { type DomainError, notFound } from '../errors.js';
import type { Customer } from '../model/customer.js';
import { err, ok, type Result } from '../result.js';
import { UNLINKED } from './billing-link.js';

/**
 * Soft delete: the row stays (its invoices and payments still point at it) but its `external_id`
 * is free again and it has no billing link any more. Deleting twice finds nothing to delete.
 */
export function markDeleted(customer: Customer, at: Date): Result<Customer, DomainError> {
  if (customer.deletedAt !== null) return err(notFound('customer'));
  return ok({ ...customer, billing: UNLINKED, deletedAt: at, updatedAt: at });
}
