import { type CurrencyCode, isZeroDecimal } from '@payrail/domain';

/**
 * Lago's high-precision fields are decimal strings. Built from integers only, so no float ever
 * touches an amount: 24000 USD cents → "240.00", 500 JPY → "500".
 */
export function majorUnits(amountCents: number, currency: CurrencyCode): string {
  if (isZeroDecimal(currency)) return String(amountCents);
  const sign = amountCents < 0 ? '-' : '';
  const abs = Math.abs(amountCents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A cents amount as Lago's BigDecimal string, e.g. 24000 → "24000.0". */
export function preciseCents(amountCents: number): string {
  return `${amountCents}.0`;
}
