import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from './format.js';

describe('money in minor units', () => {
  it.each([
    [0, 'EUR', '0.00 EUR'],
    [5, 'EUR', '0.05 EUR'],
    [123456789, 'USD', '1,234,567.89 USD'],
    [-1050, 'GBP', '-10.50 GBP'],
    [1500, 'JPY', '1,500 JPY'],
    [1234, 'KWD', '1.234 KWD'],
  ])('formats %i %s as %s', (cents, currency, expected) => {
    expect(formatMoney(cents, currency)).toBe(expected);
  });

  it.each([
    ['12', 'EUR', 1200],
    ['12.5', 'EUR', 1250],
    ['0,99', 'EUR', 99],
    ['0.1', 'EUR', 10],
    ['1500', 'JPY', 1500],
    ['12.345', 'EUR', null],
    ['1.5', 'JPY', null],
    ['-3', 'EUR', null],
    ['1e3', 'EUR', null],
    ['', 'EUR', null],
  ])('parses %j in %s as %j without rounding', (input, currency, expected) => {
    expect(parseMoney(input, currency)).toBe(expected);
  });
});
