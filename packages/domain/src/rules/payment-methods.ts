import type { ValidationCode } from '../errors.js';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../model/payment-method.js';
import type { CurrencyCode } from '../money.js';
import { err, ok, type Result } from '../result.js';

/** Debit schemes work in one currency only; cards work in every currency. */
const ONLY_CURRENCY: { readonly [M in PaymentMethodType]: string | null } = {
  card: null,
  sepa_debit: 'EUR',
  us_bank_account: 'USD',
  bacs_debit: 'GBP',
};

export const DEFAULT_PAYMENT_METHODS: readonly PaymentMethodType[] = ['card'];

export function isPaymentMethodType(value: string): value is PaymentMethodType {
  return (PAYMENT_METHOD_TYPES as readonly string[]).includes(value);
}

/** Validates a configured list: known values only, never empty, duplicates dropped, order kept. */
export function parsePaymentMethods(
  values: readonly string[],
): Result<readonly PaymentMethodType[], ValidationCode> {
  if (values.length === 0) return err('value_is_invalid');
  const parsed: PaymentMethodType[] = [];
  for (const value of values) {
    if (!isPaymentMethodType(value)) return err('value_is_invalid');
    if (!parsed.includes(value)) parsed.push(value);
  }
  return ok(parsed);
}

export function supportsCurrency(method: PaymentMethodType, currency: CurrencyCode): boolean {
  const only = ONLY_CURRENCY[method];
  return only === null || only === currency;
}

/** The configured methods that can charge an invoice in `currency`, in configured order. */
export function methodsForCurrency(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode,
): readonly PaymentMethodType[] {
  return methods.filter((m) => supportsCurrency(m, currency));
}

/**
 * Rejects at configuration time a method list that can never charge the customer's currency,
 * instead of letting every invoice fail later.
 */
export function checkMethodsAgainstCurrency(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode | null,
): Result<void, ValidationCode> {
  if (currency === null) return ok();
  return methodsForCurrency(methods, currency).length > 0 ? ok() : err('no_compatible_payment_method');
}

/** Every method Payrail collects with can be saved through a setup checkout. */
export function setupCapableMethods(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode | null,
): readonly PaymentMethodType[] {
  return currency === null ? methods : methodsForCurrency(methods, currency);
}
