/** ISO 4217 minor-unit exponents that are not 2; enough for the currencies Stripe charges here. */
const EXPONENTS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  UGX: 0,
  XAF: 0,
  XOF: 0,
  BHD: 3,
  JOD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
};

export function exponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** Integer minor units → "1,234.50 EUR" without ever going through a float. */
export function formatMoney(cents: number, currency: string): string {
  const exp = exponent(currency);
  const negative = cents < 0;
  const digits = String(Math.abs(Math.trunc(cents))).padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = exp > 0 ? `.${digits.slice(digits.length - exp)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction} ${currency.toUpperCase()}`;
}

/**
 * "12.5" in EUR → 1250. Exact decimal parsing: too many decimals or anything else is null, never
 * rounded, so what the user typed is what is charged.
 */
export function parseMoney(text: string, currency: string): number | null {
  const exp = exponent(currency);
  const match = /^(\d{1,12})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > exp) return null;
  return Number(match[1]) * 10 ** exp + Number(fraction.padEnd(exp, '0') || '0');
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
