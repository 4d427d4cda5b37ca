/**
 * Reading decoded form parameters with Stripe's validation errors. Every handler validates all of
 * its input before it changes anything, so a 400 never leaves partial state behind.
 */
import { invalidRequest, parameterMissing, parameterUnknown } from './errors.js';
import type { FormValue } from './form.js';

export type Params = Record<string, FormValue>;

function name(prefix: string, key: string): string {
  return prefix ? `${prefix}[${key}]` : key;
}

/** Rejects any parameter outside `allowed`; `expand` is always allowed at the top level. */
export function allowOnly(params: Params, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!prefix && key === 'expand') continue;
    if (key === 'payment_method_types' && !prefix) {
      throw invalidRequest(
        'The `payment_method_types` parameter is no longer supported in this API version. Use `allowed_payment_method_types` or dynamic payment methods instead.',
        { code: 'payment_method_types_no_longer_supported', param: 'payment_method_types' },
      );
    }
    if (!allowed.includes(key)) throw parameterUnknown(name(prefix, key));
  }
}

export function str(params: Params, key: string, prefix = ''): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw invalidRequest(`Invalid string: ${name(prefix, key)} must be a string.`, {
      code: 'parameter_invalid_string',
      param: name(prefix, key),
    });
  if (v.length > 5000)
    throw invalidRequest(`Invalid string: ${name(prefix, key)} is too long (maximum 5000 characters).`, {
      code: 'parameter_invalid_string',
      param: name(prefix, key),
    });
  return v;
}

/** A string where the empty string means "unset" (the SDK sends `null` as `key=`). */
export function nullableStr(params: Params, key: string, prefix = ''): string | null | undefined {
  const v = str(params, key, prefix);
  return v === '' ? null : v;
}

export function requiredStr(params: Params, key: string, prefix = ''): string {
  const v = str(params, key, prefix);
  if (v === undefined || v === '') throw parameterMissing(name(prefix, key));
  return v;
}

export function int(params: Params, key: string, prefix = ''): number | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d{1,15}$/.test(v))
    throw invalidRequest(`Invalid integer: ${typeof v === 'string' ? v : name(prefix, key)}`, {
      code: 'parameter_invalid_integer',
      param: name(prefix, key),
    });
  return Number(v);
}

export function bool(params: Params, key: string, prefix = ''): boolean | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${typeof v === 'string' ? v : name(prefix, key)}`, {
    code: 'parameter_invalid_boolean',
    param: name(prefix, key),
  });
}

export function oneOf<T extends string>(
  params: Params,
  key: string,
  values: readonly T[],
  prefix = '',
): T | undefined {
  const v = str(params, key, prefix);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v))
    throw invalidRequest(`Invalid ${name(prefix, key)}: must be one of ${values.join(', ')}`, {
      code: 'parameter_invalid_string',
      param: name(prefix, key),
    });
  return v as T;
}

export function strArray(params: Params, key: string, prefix = ''): string[] | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === '') return [];
  const items = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v) : null;
  if (!items || items.some((i) => typeof i !== 'string'))
    throw invalidRequest(`Invalid array: ${name(prefix, key)} must be an array of strings.`, {
      code: 'parameter_invalid_array',
      param: name(prefix, key),
    });
  return items as string[];
}

/** A nested hash; `''` (SDK `null`) means "unset" and yields null. */
export function hash(params: Params, key: string, prefix = ''): Params | null | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalidRequest(`Invalid object: ${name(prefix, key)} must be a hash.`, {
      code: 'parameter_invalid_object',
      param: name(prefix, key),
    });
  return v;
}

/**
 * Applies Stripe's metadata rules: string values, keys up to 40 characters, values up to 500,
 * at most 50 keys; an empty value removes a key, an empty hash clears everything.
 */
export function metadata(
  params: Params,
  existing: Record<string, string> = {},
  key = 'metadata',
): Record<string, string> | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalidRequest('Invalid metadata: metadata must be a hash of key/value pairs.', {
      code: 'parameter_invalid_object',
      param: key,
    });
  const next: Record<string, string> = { ...existing };
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string')
      throw invalidRequest(`Invalid value for metadata key ${k}: values must be strings.`, {
        code: 'parameter_invalid_string',
        param: `${key}[${k}]`,
      });
    if (k.length > 40)
      throw invalidRequest(`Metadata keys can have up to 40 characters; ${k} has ${k.length}.`, {
        code: 'parameter_invalid_string',
        param: `${key}[${k}]`,
      });
    if (val.length > 500)
      throw invalidRequest(`Metadata values can have up to 500 characters; ${k} has ${val.length}.`, {
        code: 'parameter_invalid_string',
        param: `${key}[${k}]`,
      });
    if (val === '') delete next[k];
    else next[k] = val;
  }
  if (Object.keys(next).length > 50)
    throw invalidRequest('Metadata can have at most 50 keys.', {
      code: 'parameter_invalid_object',
      param: key,
    });
  return next;
}

export function expandList(params: Params): string[] {
  return strArray(params, 'expand') ?? [];
}
