import type { CurrencyCode } from '../money.js';

/**
 * Stripe's minimum charge per currency, in minor units (stripe-facts §4.1, presentment currency
 * assumed to be the settlement currency). Currencies not listed have no known minimum here and
 * are left to Stripe, which answers `amount_too_small` if needed.
 */
export const STRIPE_MINIMUM_CHARGE_CENTS: Readonly<Record<string, number>> = {
  USD: 50,
  AED: 200,
  ARS: 50,
  AUD: 50,
  BRL: 50,
  CAD: 50,
  CHF: 50,
  COP: 50,
  CZK: 1500,
  DKK: 250,
  EUR: 50,
  GBP: 30,
  HKD: 400,
  HUF: 17500,
  IDR: 50,
  ILS: 50,
  INR: 50,
  JPY: 50,
  KRW: 50,
  MXN: 1000,
  MYR: 200,
  NOK: 300,
  NZD: 50,
  PHP: 50,
  PLN: 200,
  RON: 200,
  RUB: 50,
  SEK: 300,
  SGD: 50,
  THB: 1000,
  ZAR: 50,
};

export function minimumChargeCents(currency: CurrencyCode): number | null {
  return STRIPE_MINIMUM_CHARGE_CENTS[currency] ?? null;
}

/** True for a positive amount Stripe would refuse; zero is settled without Stripe. */
export function isBelowProviderMinimum(amountCents: number, currency: CurrencyCode): boolean {
  const minimum = minimumChargeCents(currency);
  return amountCents > 0 && minimum !== null && amountCents < minimum;
}
