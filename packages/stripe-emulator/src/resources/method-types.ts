/** Which payment method types an intent or session offers, from its currency and allow/deny lists. */
import { invalidRequest } from '../errors.js';
import { METHOD_CURRENCY, METHOD_TYPES, type MethodType, SETUP_METHOD_TYPES } from '../instruments.js';
import { type Params, strArray } from '../params.js';

export interface MethodTypeChoice {
  allowed: MethodType[] | null;
  excluded: MethodType[] | null;
  types: MethodType[];
}

function readList(params: Params, key: string): MethodType[] | null {
  const list = strArray(params, key);
  if (list === undefined) return null;
  list.forEach((t, i) => {
    if (!(METHOD_TYPES as readonly string[]).includes(t))
      throw invalidRequest(
        `Invalid ${key}[${i}]: the emulator supports ${METHOD_TYPES.join(', ')}; got ${t}.`,
        { code: 'parameter_invalid_string', param: `${key}[${i}]` },
      );
  });
  return list as MethodType[];
}

export function compatible(type: MethodType, currency: string | null): boolean {
  const only = METHOD_CURRENCY[type];
  return only === null || currency === null || only.includes(currency);
}

/**
 * The types offered when the request names none: the emulated account has turned on only the
 * guide's four in its Dashboard; Link, boleto, crypto and bank transfers are offered when asked for.
 */
const DEFAULT_TYPES: readonly MethodType[] = ['card', 'sepa_debit', 'us_bank_account', 'bacs_debit'];

/**
 * Incompatible types are dropped silently, as `allowed_payment_method_types` does in this API
 * version; for a setup (`setup: true`) that includes the types that cannot be saved.
 */
export function chooseMethodTypes(
  params: Params,
  currency: string | null,
  { setup = false }: { setup?: boolean } = {},
): MethodTypeChoice {
  const allowed = readList(params, 'allowed_payment_method_types');
  const excluded = readList(params, 'excluded_payment_method_types');
  if (allowed && excluded)
    throw invalidRequest(
      'You may only specify one of these parameters: allowed_payment_method_types, excluded_payment_method_types.',
      { param: 'excluded_payment_method_types' },
    );
  const base = allowed ?? [...DEFAULT_TYPES];
  const types = base.filter(
    (t) => compatible(t, currency) && !(excluded ?? []).includes(t) && (!setup || SETUP_METHOD_TYPES.has(t)),
  );
  if (types.length === 0)
    throw invalidRequest(
      `None of the requested payment method types can be used with currency ${currency ?? '(none)'}.`,
      { param: allowed ? 'allowed_payment_method_types' : 'currency' },
    );
  return { allowed, excluded, types };
}
