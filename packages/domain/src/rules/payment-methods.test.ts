import { describe, expect, it } from 'vitest';
import type { PaymentMethodType } from '../model/payment-method.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import {
  bankTransferFor,
  chargeMeans,
  checkMethodsAgainstCurrency,
  methodsForCurrency,
  needsSetup,
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
    [
      ['card', 'link'],
      ['card', 'link'],
    ],
    [
      ['card', 'crypto', 'boleto'],
      ['card', 'crypto', 'boleto'],
    ],
    [['crypto'], ['crypto']],
    [['customer_balance'], ['customer_balance']],
    [['customer_balance', 'customer_balance'], ['customer_balance']],
  ])('accepts %j', (input, expected) => {
    expect(parsePaymentMethods(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [[], 'empty'],
    [['paypal'], 'unknown'],
    [['card', 'paypal'], 'unsupported alongside a valid one'],
    [['link'], 'link without card'],
    [['sepa_debit', 'link'], 'link without card'],
    [['customer_balance', 'card'], 'customer_balance combined'],
    [['crypto', 'customer_balance'], 'customer_balance combined'],
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

describe('the methods beyond the guide', () => {
  it.each([
    ['boleto', 'BRL', true],
    ['boleto', 'USD', false],
    ['crypto', 'USD', true],
    ['crypto', 'EUR', false],
    ['link', 'JPY', true],
    ['customer_balance', 'USD', true],
    ['customer_balance', 'EUR', true],
    ['customer_balance', 'GBP', true],
    ['customer_balance', 'JPY', true],
    ['customer_balance', 'MXN', true],
    ['customer_balance', 'BRL', false],
  ] as const)('%s in %s: %s', (method, currency, expected) => {
    expect(methodsForCurrency([method], cur(currency)).length > 0).toBe(expected);
  });

  it('refuses at configuration time a boleto-only customer billed in EUR', () => {
    expect(checkMethodsAgainstCurrency(['boleto'], cur('EUR'))).toEqual({
      ok: false,
      error: 'no_compatible_payment_method',
    });
  });

  it('never offers crypto or bank transfers on a setup page', () => {
    expect(setupCapableMethods(['card', 'link', 'crypto'], cur('USD'))).toEqual(['card', 'link']);
    expect(setupCapableMethods(['customer_balance'], null)).toEqual([]);
    expect(setupCapableMethods(['boleto', 'card'], cur('BRL'))).toEqual(['boleto', 'card']);
    expect(needsSetup(['crypto'])).toBe(false);
    expect(needsSetup(['customer_balance'])).toBe(false);
    expect(needsSetup(['crypto', 'card'])).toBe(true);
  });

  it.each([
    ['USD', null, { type: 'us_bank_transfer', country: null }],
    ['GBP', 'FR', { type: 'gb_bank_transfer', country: null }],
    ['JPY', null, { type: 'jp_bank_transfer', country: null }],
    ['MXN', null, { type: 'mx_bank_transfer', country: null }],
    ['EUR', 'fr', { type: 'eu_bank_transfer', country: 'FR' }],
    ['EUR', 'NL', { type: 'eu_bank_transfer', country: 'NL' }],
  ] as const)('a %s bank transfer (country %s)', (currency, country, expected) => {
    expect(bankTransferFor(cur(currency), country)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['EUR', null, 'missing_country'],
    ['EUR', 'IT', 'missing_country'],
    ['BRL', 'BR', 'no_compatible_payment_method'],
  ] as const)('no %s bank transfer for country %s: %s', (currency, country, code) => {
    expect(bankTransferFor(cur(currency), country)).toEqual({ ok: false, error: code });
  });
});

describe('chargeMeans', () => {
  it('charges a saved method of the allowed types, or opens a bank transfer when that is the only one', () => {
    expect(chargeMeans(['sepa_debit', 'card'], cur('USD'), null)).toEqual({
      ok: true,
      value: { allowedMethods: ['card'], bankTransfer: null },
    });
    expect(chargeMeans(['customer_balance'], cur('EUR'), 'fr')).toEqual({
      ok: true,
      value: {
        allowedMethods: ['customer_balance'],
        bankTransfer: { type: 'eu_bank_transfer', country: 'FR' },
      },
    });
  });

  it.each([
    [['boleto'], 'USD', null, 'no_compatible_payment_method'],
    [['customer_balance'], 'BRL', 'BR', 'no_compatible_payment_method'],
    [['customer_balance'], 'EUR', null, 'missing_country'],
    [['customer_balance'], 'EUR', 'IT', 'missing_country'],
  ] as const)('%s in %s (country %s) fails with %s', (methods, currency, country, code) => {
    expect(chargeMeans(methods, cur(currency), country)).toMatchObject({ ok: false, error: { code } });
  });
});
