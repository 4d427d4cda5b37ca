import type { Organization, UnitOfWork } from '@payrail/domain';
import type { Written } from '../ports/idempotency.js';

/** Per-request values set by the middleware chain. */
export interface ApiVariables {
  requestId: string;
  /** Set by the auth middleware on every `/api/v1` route that requires a key. */
  organizationId: string;
  /** The key's organization, read with the key (possibly a few seconds old: name and prefix). */
  organization: Organization;
  /** The request body as sent (possibly empty), read once by the body middleware. */
  rawBody: string;
  /**
   * Set by the idempotency middleware on a request with an `Idempotency-Key`: the unit of work that
   * commits the key with the request's first write. The routes' use cases run on it.
   */
  uow?: UnitOfWork;
  /**
   * Set by the idempotency middleware when a retried request's first attempt committed but its
   * answer was lost: the route answers from these ids (its `replay`) instead of writing again.
   */
  replayWritten?: Written;
}

export interface ApiEnv {
  Variables: ApiVariables;
}
