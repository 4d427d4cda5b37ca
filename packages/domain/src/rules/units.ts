import { err, ok, type Result } from '../result.js';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Normalises a fee's units (number or decimal string) to a canonical decimal string like Lago's "2.5". */
export function parseUnits(input: number | string | null | undefined): Result<string, 'value_is_invalid'> {
  if (input === null || input === undefined) return ok('1.0');
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input.trim();
  const match = DECIMAL.exec(text);
  if (!match) return err('value_is_invalid');
  const whole = BigInt(match[1] ?? '0').toString();
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (whole === '0' && fraction === '') return err('value_is_invalid');
  return ok(`${whole}.${fraction === '' ? '0' : fraction}`);
}

/**
 * units × unit amount in exact decimal arithmetic, rounded half-up to a whole minor unit. A product
 * beyond the safe integer range is the caller's input being out of range, so it is a value, not a throw.
 */
export function multiplyUnits(
  units: string,
  unitAmountCents: number,
): Result<number, 'value_is_out_of_range'> {
  const [whole = '0', fraction = ''] = units.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const scaledUnits = BigInt(whole) * scale + BigInt(fraction === '' ? '0' : fraction);
  const product = scaledUnits * BigInt(unitAmountCents);
  const rounded = (product * 2n + scale) / (2n * scale);
  const result = Number(rounded);
  return Number.isSafeInteger(result) ? ok(result) : err('value_is_out_of_range');
}
