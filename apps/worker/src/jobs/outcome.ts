import type { DomainError, Result } from '@payrail/domain';

/**
 * Thrown to hand a job back to the queue, which runs it again after its backoff. Used for
 * transient failures only: the provider rate limiting or down, a lost optimistic race, an event
 * that arrived before our own commit.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** What a job did, for logs; "parked" means it gave up for a recorded reason. */
export type JobOutcome =
  | { readonly status: 'done'; readonly detail?: string }
  | { readonly status: 'parked'; readonly reason: string };

/**
 * The one mapping from a use case's Result to the queue: a value is done, a retryable error comes
 * back later with backoff, any other error is parked (retrying cannot change a validation error or
 * a missing row; the use case has already recorded what the merchant needs to see).
 */
export function settleResult<T>(result: Result<T, DomainError>): JobOutcome {
  if (result.ok) return { status: 'done' };
  const error = result.error;
  if (error.retryable) throw new RetryLaterError(error.code, error.message);
  return { status: 'parked', reason: `${error.code}: ${error.message}` };
}
