import { missingRootKey, validationErrors } from '@payrail/lago-wire';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { jsonBody } from './body.js';

const LAGO_CODE = /^[a-z][a-z_]*$/;

function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && LAGO_CODE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'value_is_mandatory' : 'value_is_invalid';
    case 'too_big':
      return issue.origin === 'string' ? 'value_is_too_long' : 'value_is_out_of_range';
    case 'too_small':
      return 'value_is_out_of_range';
    case 'invalid_format':
      return issue.format === 'url' ? 'url_is_invalid' : 'value_is_invalid';
    default:
      return LAGO_CODE.test(issue.message) ? issue.message : 'value_is_invalid';
  }
}

/** Lago names the innermost field (`amount_cents`, `provider_payment_methods`) or `base`. */
function fieldOf(issue: z.core.$ZodIssue): string {
  const keys = issue.path.filter((p): p is string => typeof p === 'string');
  return keys.at(-1) ?? 'base';
}

export function toValidationError(error: z.ZodError): ApiError {
  const details: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue);
    const code = codeOf(issue);
    const codes = details[field] ?? [];
    if (!codes.includes(code)) codes.push(code);
    details[field] = codes;
  }
  return new ApiError(validationErrors(details));
}

/**
 * PostgreSQL cannot store U+0000 in text: such a value is invalid input, refused here before it
 * reaches a query. Returns the innermost field holding one.
 */
export function fieldWithNul(value: unknown, field = 'base', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? field : null;
  if (depth > 32 || typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found =
      fieldWithNul(key, field, depth + 1) ??
      fieldWithNul(inner, Array.isArray(value) ? field : key, depth + 1);
    if (found) return found;
  }
  return null;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const nul = fieldWithNul(value);
  if (nul) throw new ApiError(validationErrors({ [nul]: ['value_is_invalid'] }));
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw toValidationError(result.error);
  return result.data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{customer: {...}}`: a missing or non-object root key is Lago's 400 "param is missing". */
export function parseEnvelope<S extends z.ZodType>(raw: string, root: string, schema: S): z.output<S> {
  const body = jsonBody(raw);
  const inner = isPlainObject(body) ? body[root] : undefined;
  if (!isPlainObject(inner) || Object.keys(inner).length === 0) throw new ApiError(missingRootKey(root));
  return parseWith(schema, inner);
}

/** Top-level optional parameters (void, retry_payment): an empty body means none. */
export function parseTopLevel<S extends z.ZodType>(raw: string, schema: S): z.output<S> {
  const body = jsonBody(raw);
  if (body === undefined || body === null) return parseWith(schema, {});
  if (!isPlainObject(body)) throw new ApiError(validationErrors({ base: ['value_is_invalid'] }));
  return parseWith(schema, body);
}

/**
 * The query string as Lago's Rails reads it: `key[]=a&key[]=b` is an array, `metadata[k]=v` a
 * hash, a repeated plain key keeps its last value.
 */
export function queryObject(url: string): Record<string, unknown> {
  const params = new URL(url).searchParams;
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of params) {
    const arrayKey = /^([^[\]]+)\[\]$/.exec(rawKey);
    const hashKey = /^([^[\]]+)\[([^[\]]+)\]$/.exec(rawKey);
    if (arrayKey?.[1]) {
      const existing = out[arrayKey[1]];
      out[arrayKey[1]] = Array.isArray(existing) ? [...existing, value] : [value];
    } else if (hashKey?.[1] && hashKey[2]) {
      const existing = out[hashKey[1]];
      const hash = isPlainObject(existing) ? existing : {};
      hash[hashKey[2]] = value;
      out[hashKey[1]] = hash;
    } else {
      out[rawKey] = value;
    }
  }
  return out;
}

export function parseQuery<S extends z.ZodType>(url: string, schema: S): z.output<S> {
  return parseWith(schema, queryObject(url));
}
