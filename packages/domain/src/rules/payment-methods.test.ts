import { describe, expect, it } from 'vitest';
import type { PaymentMethodType } from '../model/payment-method.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import {
  checkMethodsAgainstCurrency,
  methodsForCurrency,
  parsePaymentMethods,
  setupCapableMethods,
} from './payment-methods.js';

const cur = (code: string) => parseCurrency(code) as CurrencyCode;

describe('parsePaymentMethods', () => {
  it.each([
    [['card'], ['card']],
    [
      ['sepa_debit', 'card'],
      ['sepa_debit', 'card'],
    ],
    [
      ['card', 'card', 'bacs_debit'],
      ['card', 'bacs_debit'],
    ],
    [['us_bank_account'], ['us_bank_account']],
  ])('accepts %j', (input, expected) => {
    expect(parsePaymentMethods(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [[], 'empty'],
    [['paypal'], 'unknown'],
    [['card', 'crypto'], 'unsupported alongside a valid one'],
    [['Card'], 'wrong case'],
  ])('rejects %j (%s) with value_is_invalid', (input) => {
    expect(parsePaymentMethods(input)).toEqual({ ok: false, error: 'value_is_invalid' });
  });
});

describe('methodsForCurrency', () => {
  const all: PaymentMethodType[] = ['card', 'sepa_debit', 'us_bank_account', 'bacs_debit'];
  it.each([
    ['EUR', ['card', 'sepa_debit']],
    ['USD', ['card', 'us_bank_account']],
    ['GBP', ['card', 'bacs_debit']],
    ['JPY', ['card']],
  ])('offers for %s only %j', (currency, expected) => {
    expect(methodsForCurrency(all, cur(currency))).toEqual(expected);
  });

  it.each([
    [['sepa_debit'], 'USD'],
    [['us_bank_account'], 'EUR'],
    [['bacs_debit'], 'EUR'],
    [['sepa_debit', 'bacs_debit'], 'USD'],
  ] as const)('offers nothing for %j in %s', (methods, currency) => {
    expect(methodsForCurrency(methods, cur(currency))).toEqual([]);
  });
});

describe('checkMethodsAgainstCurrency (configuration time)', () => {
  it.each([
    [['sepa_debit'], 'EUR', true],
    [['sepa_debit'], 'USD', false],
    [['card', 'sepa_debit'], 'USD', true],
    [['bacs_debit'], 'GBP', true],
    [['us_bank_account'], 'GBP', false],
  ] as const)('%j for a %s customer → accepted %s', (methods, currency, accepted) => {
    const result = checkMethodsAgainstCurrency(methods, cur(currency));
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.error).toBe('no_compatible_payment_method');
  });

  it('accepts anything while the customer has no currency', () => {
    expect(checkMethodsAgainstCurrency(['bacs_debit'], null).ok).toBe(true);
  });
});

describe('setupCapableMethods', () => {
  it('keeps every configured method when the currency is unknown', () => {
    expect(setupCapableMethods(['card', 'sepa_debit'], null)).toEqual(['card', 'sepa_debit']);
  });
  it('drops methods that cannot work in the customer currency', () => {
    expect(setupCapableMethods(['card', 'sepa_debit'], cur('USD'))).toEqual(['card']);
  });
});
