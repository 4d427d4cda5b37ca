import { describe, expect, it } from 'vitest';
import { addMoney, isZeroDecimal, money, parseCurrency } from './money.js';

describe('money', () => {
  it.each([
    ['eur', 'EUR'],
    [' usd ', 'USD'],
    ['GBP', 'GBP'],
  ])('parses currency %j as %s', (input, expected) => {
    expect(parseCurrency(input)).toBe(expected);
  });

  it.each(['', 'EURO', 'E1R', '€'])('rejects currency %j', (input) => {
    expect(parseCurrency(input)).toBeUndefined();
  });

  it('adds amounts of one currency', () => {
    const eur = parseCurrency('EUR')!;
    expect(addMoney(money(150, eur), money(250, eur))).toEqual({ amountCents: 400, currency: 'EUR' });
  });

  it('refuses to mix currencies or fractional minor units', () => {
    expect(() => addMoney(money(1, parseCurrency('EUR')!), money(1, parseCurrency('USD')!))).toThrow(
      RangeError,
    );
    expect(() => money(1.5, parseCurrency('EUR')!)).toThrow(RangeError);
  });

  it('knows zero-decimal currencies', () => {
    expect(isZeroDecimal(parseCurrency('JPY')!)).toBe(true);
    expect(isZeroDecimal(parseCurrency('EUR')!)).toBe(false);
  });
});
