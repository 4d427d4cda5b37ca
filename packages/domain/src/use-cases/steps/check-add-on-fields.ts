import type { ValidationCode } from '../../errors.js';
import { type CurrencyCode, parseCurrency } from '../../money.js';

/** Lago's add-on rules: name and code required, amount a positive integer, a known currency. */
export function checkAddOnFields(
  fields: { name?: string; code?: string; amountCents?: number; amountCurrency?: string },
  details: Record<string, ValidationCode[]>,
): CurrencyCode | undefined {
  if (fields.name !== undefined && fields.name.trim() === '') details.name = ['value_is_mandatory'];
  if (fields.code !== undefined && fields.code.trim() === '') details.code = ['value_is_mandatory'];
  if (
    fields.amountCents !== undefined &&
    (!Number.isSafeInteger(fields.amountCents) || fields.amountCents <= 0)
  ) {
    details.amount_cents = ['value_is_out_of_range'];
  }
  if (fields.amountCurrency === undefined) return undefined;
  const currency = parseCurrency(fields.amountCurrency);
  if (!currency) details.amount_currency = ['value_is_invalid'];
  return currency;
}
