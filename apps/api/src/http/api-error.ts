import type { DomainError } from '@payrail/domain';
import { type LagoErrorBody, lagoErrorFromDomain } from '@payrail/lago-wire';

/**
 * An expected refusal on its way to the client. Handlers throw it (or return a Result that the
 * `unwrap` helpers turn into it); the one `onError` renders its body with its status.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly body: LagoErrorBody) {
    super(`${body.status} ${body.error}${'code' in body ? ` ${body.code}` : ''}`);
  }

  static fromDomain(error: DomainError, extra?: Readonly<Record<string, unknown>>): ApiError {
    const body = lagoErrorFromDomain(error);
    return new ApiError(extra ? ({ ...body, ...extra } as LagoErrorBody) : body);
  }
}
