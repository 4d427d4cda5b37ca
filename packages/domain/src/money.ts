/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY) plus an
 * ISO 4217 code. Floats never represent money anywhere in the product.
 */
export type CurrencyCode = string & { readonly __currency: unique symbol };

export interface Money {
  readonly amountCents: number;
  readonly currency: CurrencyCode;
}

/** Currencies whose minor unit is the unit itself (Stripe's zero-decimal currencies). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

export function parseCurrency(input: string): CurrencyCode | undefined {
  const code = input.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? (code as CurrencyCode) : undefined;
}

export function money(amountCents: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(amountCents)) {
    throw new RangeError(`money amount must be a safe integer of minor units, got ${amountCents}`);
  }
  return { amountCents, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`cannot add ${a.currency} to ${b.currency}`);
  return money(a.amountCents + b.amountCents, a.currency);
}

export function isZeroDecimal(currency: CurrencyCode): boolean {
  return ZERO_DECIMAL.has(currency);
}
