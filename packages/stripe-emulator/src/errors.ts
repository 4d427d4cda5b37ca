/**
 * Stripe's error vocabulary. Handlers throw `ApiError`; the HTTP layer renders it in Stripe's
 * wire shape so the SDK builds the same error classes it would against Stripe.
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  payment_method_type?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly headers: Record<string, string> = {},
    /**
     * The request ran and changed state before failing (a 400 after the object was created), so
     * its answer is kept under the idempotency key; other 400s are validation and are not.
     */
    readonly executed = false,
  ) {
    super(body.message);
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

export function invalidRequest(
  message: string,
  opts: { code?: string; param?: string; status?: number } = {},
): ApiError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (opts.code) {
    body.code = opts.code;
    body.doc_url = docUrl(opts.code);
  }
  if (opts.param) body.param = opts.param;
  return new ApiError(opts.status ?? 400, body);
}

export function parameterMissing(param: string): ApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function parameterUnknown(param: string): ApiError {
  return invalidRequest(
    `Received unknown parameter: ${param}. Did you mean to use a different parameter for this request?`,
    { code: 'parameter_unknown', param },
  );
}

export function parameterInvalid(param: string, message: string, code = 'parameter_invalid_string_blank') {
  return invalidRequest(message, { code, param });
}

export function resourceMissing(kind: string, id: string, param = 'id', status = 404): ApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status });
}

export function unexpectedState(kindCode: string, message: string): ApiError {
  return invalidRequest(message, { code: kindCode });
}

export function notFoundRoute(method: string, path: string): ApiError {
  return invalidRequest(`Unrecognized request URL (${method}: ${path}).`, { status: 404 });
}

export function authenticationError(message: string): ApiError {
  return new ApiError(401, { type: 'invalid_request_error', message });
}

export function rateLimited(reason: string): ApiError {
  return new ApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      doc_url: docUrl('rate_limit'),
    },
    { 'Stripe-Rate-Limited-Reason': reason },
  );
}

export function lockTimeout(): ApiError {
  return new ApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'lock_timeout',
      message:
        'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
      doc_url: docUrl('lock_timeout'),
    },
    { 'Stripe-Should-Retry': 'true' },
  );
}

export function apiError(message: string): ApiError {
  return new ApiError(500, { type: 'api_error', message });
}

export function cardError(fields: Omit<StripeErrorBody, 'type'>): ApiError {
  const body: StripeErrorBody = { type: 'card_error', ...fields };
  if (fields.code && !fields.doc_url) body.doc_url = docUrl(fields.code);
  return new ApiError(402, body);
}
