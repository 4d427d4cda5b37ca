import type { ApiDeps } from '../deps.js';

/** Per-request values set by the middleware chain. */
export interface ApiVariables {
  requestId: string;
  /** Set by the auth middleware on every `/api/v1` route that requires a key. */
  organizationId: string;
  /** The request body as sent (possibly empty), read once by the body middleware. */
  rawBody: string;
  deps: ApiDeps;
}

export interface ApiEnv {
  Variables: ApiVariables;
}
