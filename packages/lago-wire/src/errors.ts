import { assertNever, type DomainError } from '@payrail/domain';

/** Every error body Lago sends has `status` (the HTTP code) and `error`; most add a `code`. */
export type LagoErrorBody =
  | { readonly status: 400; readonly error: string }
  | { readonly status: 401; readonly error: string }
  | { readonly status: 403; readonly error: 'Forbidden'; readonly code: string }
  | { readonly status: 404; readonly error: 'Not Found'; readonly code: string }
  | { readonly status: 405; readonly error: 'Method Not Allowed'; readonly code: string }
  | { readonly status: 413; readonly error: 'Payload Too Large'; readonly code: 'payload_too_large' }
  | {
      readonly status: 409;
      readonly error: 'Conflict';
      readonly code: string;
      readonly error_details?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly status: 422;
      readonly error: 'Unprocessable Entity';
      readonly code: string;
      readonly error_details: Readonly<Record<string, unknown>>;
      readonly provider?: { readonly code: string };
    }
  | {
      readonly status: 429;
      readonly error: 'Too Many Provider Requests';
      readonly code: 'too_many_provider_requests';
      readonly error_details: { readonly provider_name: string; readonly message: string };
    }
  | { readonly status: 500; readonly error: 'Internal Server Error'; readonly request_id: string }
  | { readonly status: 503; readonly error: 'Service Unavailable'; readonly code: string };

export type LagoErrorStatus = LagoErrorBody['status'];

export function badRequest(message: string): LagoErrorBody {
  return { status: 400, error: `BadRequest: ${message}` };
}

/** `param is missing or the value is empty or invalid: customer`, as Rails words it. */
export function missingRootKey(key: string): LagoErrorBody {
  return badRequest(`param is missing or the value is empty or invalid: ${key}`);
}

export function unauthorized(message = 'Unauthorized'): LagoErrorBody {
  return { status: 401, error: message };
}

export function notFoundBody(code: string): LagoErrorBody {
  return { status: 404, error: 'Not Found', code };
}

export function notAllowedBody(code: string): LagoErrorBody {
  return { status: 405, error: 'Method Not Allowed', code };
}

export function validationErrors(details: Readonly<Record<string, readonly string[]>>): LagoErrorBody {
  return { status: 422, error: 'Unprocessable Entity', code: 'validation_errors', error_details: details };
}

export function conflictBody(code: string, details?: Readonly<Record<string, unknown>>): LagoErrorBody {
  return { status: 409, error: 'Conflict', code, ...(details ? { error_details: details } : {}) };
}

/**
 * Lago has no body of its own for this (its proxy answers first); this one takes the shape of its
 * coded errors (`{status, error, code}`), with the reason phrase as `error`.
 */
export function payloadTooLarge(): LagoErrorBody {
  return { status: 413, error: 'Payload Too Large', code: 'payload_too_large' };
}

export function internalError(requestId: string): LagoErrorBody {
  return { status: 500, error: 'Internal Server Error', request_id: requestId };
}

/** Which Stripe-facing name Lago uses in `third_party_error` and rate-limit bodies. */
const PROVIDER_NAME = 'Stripe';

/**
 * The one map from the domain's error vocabulary to Lago's wire. Exhaustive: a new error kind
 * fails the build here instead of silently becoming a 500.
 */
export function lagoErrorFromDomain(error: DomainError): LagoErrorBody {
  switch (error.kind) {
    case 'not_found':
      return notFoundBody(error.code);
    case 'not_allowed':
      return notAllowedBody(error.code);
    case 'validation':
      return validationErrors(error.details);
    case 'provider':
      return {
        status: 422,
        error: 'Unprocessable Entity',
        code: 'provider_error',
        provider: { code: error.connectionCode },
        error_details: {
          code: error.details.code,
          message: error.details.message,
          request_id: error.details.requestId ?? null,
          http_status: error.details.httpStatus ?? null,
          http_body: error.details.httpBody ?? null,
        },
      };
    case 'provider_unauthorized':
      return unauthorized(error.message);
    case 'third_party':
      return {
        status: 422,
        error: 'Unprocessable Entity',
        code: 'third_party_error',
        error_details: { third_party: PROVIDER_NAME, thirdparty_error: error.message },
      };
    case 'unavailable':
      return error.code === 'too_many_provider_requests'
        ? {
            status: 429,
            error: 'Too Many Provider Requests',
            code: 'too_many_provider_requests',
            error_details: { provider_name: PROVIDER_NAME, message: error.message },
          }
        : { status: 503, error: 'Service Unavailable', code: error.code };
    case 'conflict':
      return conflictBody('conflict');
    default:
      return assertNever(error, 'domain error');
  }
}
