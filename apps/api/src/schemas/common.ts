import { z } from '@hono/zod-openapi';
import { DEFAULT_PER_PAGE, notFoundBody, type PageRequest, PaginationMetaSchema } from '@payrail/lago-wire';
import { ApiError } from '../http/api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lago answers a malformed `lago_id` exactly like an unknown one: 404 `<resource>_not_found`. */
export function lagoIdParam(value: string | undefined, resource: string): string {
  if (!value || !UUID.test(value)) throw new ApiError(notFoundBody(`${resource}_not_found`));
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A path segment addressed by a client-chosen key (external_id, code). */
export function keyParam(value: string | undefined, resource: string): string {
  if (!value || value.length > 255 || value.includes('\u0000'))
    throw new ApiError(notFoundBody(`${resource}_not_found`));
  return value;
}

/** Kaminari's leniency: a page or per_page that is not a positive integer falls back to the default. */
function positiveInt(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

export function pageRequest(query: Record<string, unknown>): PageRequest {
  return {
    page: positiveInt(query.page, 1, 1_000_000),
    perPage: positiveInt(query.per_page, DEFAULT_PER_PAGE, DEFAULT_PER_PAGE),
  };
}

/** `page` and `per_page` of a request URL. */
export function pageOf(url: string): PageRequest {
  return pageRequest(Object.fromEntries(new URL(url).searchParams));
}

export const PaginationQuery = z.object({
  page: z.string().optional().openapi({ example: '1', description: '1-based page number' }),
  per_page: z
    .string()
    .optional()
    .openapi({ example: '20', description: 'Results per page (default and maximum 100)' }),
});

/** `{ key: object }`, the envelope of a single object. */
export function single<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: schema } as Record<K, T>);
}

/** `{ key: [objects], meta }`, the envelope of a list page. */
export function paginated<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: z.array(schema), meta: PaginationMetaSchema } as Record<K | 'meta', z.ZodType>);
}

const ErrorBase = z.object({ status: z.number().int(), error: z.string() });
const ErrorWithCode = ErrorBase.extend({ code: z.string() });

export const ErrorSchemas = {
  400: ErrorBase.openapi('ApiErrorBadRequest', {
    example: {
      status: 400,
      error: 'BadRequest: param is missing or the value is empty or invalid: customer',
    },
  }),
  401: ErrorBase.openapi('ApiErrorUnauthorized', { example: { status: 401, error: 'Unauthorized' } }),
  404: ErrorWithCode.openapi('ApiErrorNotFound', {
    example: { status: 404, error: 'Not Found', code: 'invoice_not_found' },
  }),
  405: ErrorWithCode.openapi('ApiErrorNotAllowed', {
    example: { status: 405, error: 'Method Not Allowed', code: 'not_voidable' },
  }),
  409: ErrorWithCode.openapi('ApiErrorConflict', {
    example: { status: 409, error: 'Conflict', code: 'idempotency_request_in_progress' },
  }),
  413: ErrorWithCode.openapi('ApiErrorPayloadTooLarge', {
    example: { status: 413, error: 'Payload Too Large', code: 'payload_too_large' },
  }),
  422: ErrorWithCode.extend({
    error_details: z.record(z.string(), z.unknown()),
    message: z.string().optional().openapi({
      description: "Payrail addition on Stripe connections: Stripe's own message for a rejected key",
    }),
  }).openapi('ApiErrorUnprocessableEntity', {
    example: {
      status: 422,
      error: 'Unprocessable Entity',
      code: 'validation_errors',
      error_details: { amount_cents: ['value_is_out_of_range'] },
    },
  }),
  429: ErrorWithCode.extend({ error_details: z.record(z.string(), z.unknown()) }).openapi(
    'ApiErrorTooManyProviderRequests',
  ),
} as const;

const DESCRIPTIONS: Record<keyof typeof ErrorSchemas, string> = {
  400: 'Bad request: a missing root key or a malformed body',
  401: 'Missing or unknown API key',
  404: 'Not found: `<resource>_not_found`',
  405: 'Refused by the state machine',
  409: 'An Idempotency-Key request is still running',
  413: 'The body is larger than 1 MiB',
  422: 'Validation or provider error',
  429: 'The payment provider is rate limiting',
};

export function errorResponses(...statuses: (keyof typeof ErrorSchemas)[]) {
  const out: Record<number, { description: string; content: { 'application/json': { schema: z.ZodType } } }> =
    {};
  for (const status of [401, ...statuses] as (keyof typeof ErrorSchemas)[]) {
    out[status] = {
      description: DESCRIPTIONS[status],
      content: { 'application/json': { schema: ErrorSchemas[status] } },
    };
  }
  return out;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** Request body documented for OpenAPI (parsed by the handler itself). */
export function jsonBodyDoc<T extends z.ZodType>(schema: T, required = true) {
  return { required, content: { 'application/json': { schema } } };
}

export const security = [{ bearerAuth: [] }];
