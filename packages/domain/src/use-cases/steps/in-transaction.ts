import {
  conflict,
  type DomainError,
  invalidField,
  UniqueViolationError,
  VersionConflictError,
} from '../../errors.js';
import type { Id } from '../../model/common.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { err, type Result } from '../../result.js';
import type { UseCaseContext } from './use-case-context.js';

/**
 * Uniqueness the caller chose and can fix (a taken code); any other uniqueness rule (sequence
 * numbers, one attempt in flight, provider ids) is an internal race worth re-running.
 */
const USER_FACING_UNIQUE = new Set([
  'customer.external_id',
  'stripe_connection.code',
  'add_on.code',
  'webhook_endpoint.webhook_url',
]);

/** Carries an expected refusal out of a transaction so that it rolls back. */
class Refusal extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
  }
}

/**
 * Runs `fn` in one transaction. An `err` result rolls everything back; a lost optimistic race
 * becomes a retryable `conflict`; a broken uniqueness rule becomes `value_already_exist`.
 */
export async function inTx<T>(
  ctx: UseCaseContext,
  organizationId: Id | null,
  fn: (tx: Tx) => Promise<Result<T, DomainError>>,
): Promise<Result<T, DomainError>> {
  try {
    return await ctx.uow.run(organizationId, async (tx) => {
      const result = await fn(tx);
      if (!result.ok) throw new Refusal(result.error);
      return result;
    });
  } catch (error) {
    if (error instanceof Refusal) return err(error.error);
    if (error instanceof VersionConflictError) {
      return err(conflict(error.message, { entity: error.entity, id: error.id }));
    }
    if (error instanceof UniqueViolationError) {
      return USER_FACING_UNIQUE.has(`${error.entity}.${error.field}`)
        ? err(invalidField(error.field, 'value_already_exist'))
        : err(conflict(error.message, { entity: error.entity, field: error.field }));
    }
    throw error;
  }
}
