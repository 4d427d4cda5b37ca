import { describe, expect, it } from 'vitest';
import { type CurrencyCode, parseCurrency } from '../money.js';
import { isBelowProviderMinimum, minimumChargeCents } from './minimum-amounts.js';

const cur = (code: string) => parseCurrency(code) as CurrencyCode;

describe('Stripe minimum charge amounts', () => {
  it.each([
    ['USD', 50],
    ['EUR', 50],
    ['GBP', 30],
    ['JPY', 50],
    ['HUF', 17500],
    ['MXN', 1000],
    ['CZK', 1500],
  ])('%s minimum is %i minor units', (currency, minimum) => {
    expect(minimumChargeCents(cur(currency))).toBe(minimum);
  });

  it.each([
    [49, 'USD', true],
    [50, 'USD', false],
    [29, 'GBP', true],
    [30, 'GBP', false],
    [1, 'EUR', true],
    [0, 'EUR', false],
    [17499, 'HUF', true],
    [1, 'XYZ', false],
  ])('%i %s below minimum → %s', (amount, currency, below) => {
    expect(isBelowProviderMinimum(amount, cur(currency))).toBe(below);
  });
});
