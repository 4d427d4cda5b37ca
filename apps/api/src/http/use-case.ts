import type { DomainError, Result, UseCase, UseCaseContext } from '@payrail/domain';
import { ApiError } from './api-error.js';

/** Lost optimistic races are retried here; the use cases are safe to re-run. */
const ATTEMPTS = 3;

/** Runs a use case and returns its value, or throws its refusal as an `ApiError`. */
export async function runUseCase<I, O>(
  useCase: UseCase<I, O>,
  ctx: UseCaseContext,
  input: I,
  extra?: (error: DomainError) => Readonly<Record<string, unknown>> | undefined,
): Promise<O> {
  let result: Result<O, DomainError> | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    result = await useCase({ ctx, input });
    if (result.ok || result.error.kind !== 'conflict') break;
  }
  if (!result) throw new Error('use case did not run');
  if (result.ok) return result.value;
  throw ApiError.fromDomain(result.error, extra?.(result.error));
}
