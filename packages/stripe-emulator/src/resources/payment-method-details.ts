/**
 * Raw payment details in `paymentMethods.create` (card numbers, IBANs, bank accounts, billing
 * details): validated as Stripe does and mapped to the test instrument that decides outcomes.
 */
import type Stripe from 'stripe';
import { cardError, invalidRequest, parameterMissing } from '../errors.js';
import { type Instrument, instrumentByNumber, instrumentByToken, type MethodType } from '../instruments.js';
import { allowOnly, hash, int, nullableStr, oneOf, type Params, requiredStr, str } from '../params.js';

export interface Details {
  expMonth?: number;
  expYear?: number;
  routingNumber?: string;
  sortCode?: string;
  holderType?: 'company' | 'individual';
  accountType?: 'checking' | 'savings';
}

export function billingDetails(params: Params | null | undefined): Stripe.PaymentMethod.BillingDetails {
  const details: Stripe.PaymentMethod.BillingDetails = {
    address: null,
    email: null,
    name: null,
    phone: null,
    tax_id: null,
  };
  if (!params) return details;
  allowOnly(params, ['address', 'email', 'name', 'phone'], 'billing_details');
  details.email = nullableStr(params, 'email', 'billing_details') ?? null;
  details.name = nullableStr(params, 'name', 'billing_details') ?? null;
  details.phone = nullableStr(params, 'phone', 'billing_details') ?? null;
  const addr = hash(params, 'address', 'billing_details');
  if (addr) {
    const prefix = 'billing_details[address]';
    allowOnly(addr, ['city', 'country', 'line1', 'line2', 'postal_code', 'state'], prefix);
    details.address = {
      city: nullableStr(addr, 'city', prefix) ?? null,
      country: nullableStr(addr, 'country', prefix) ?? null,
      line1: nullableStr(addr, 'line1', prefix) ?? null,
      line2: nullableStr(addr, 'line2', prefix) ?? null,
      postal_code: nullableStr(addr, 'postal_code', prefix) ?? null,
      state: nullableStr(addr, 'state', prefix) ?? null,
    };
  }
  return details;
}

function isLuhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function cardInstrument(params: Params): { instrument: Instrument; details: Details } {
  const prefix = 'card';
  allowOnly(params, ['number', 'exp_month', 'exp_year', 'cvc', 'token'], prefix);
  const token = str(params, 'token', prefix);
  if (token) {
    const byToken = instrumentByToken(token);
    if (byToken?.type !== 'card')
      throw invalidRequest(`No such token: '${token}'`, { code: 'resource_missing', param: 'card[token]' });
    return { instrument: byToken, details: {} };
  }
  const number = requiredStr(params, 'number', prefix).replace(/\s+/g, '');
  const expMonth = int(params, 'exp_month', prefix);
  const expYear = int(params, 'exp_year', prefix);
  if (expMonth === undefined) throw parameterMissing('card[exp_month]');
  if (expYear === undefined) throw parameterMissing('card[exp_year]');
  if (expMonth < 1 || expMonth > 12)
    throw cardError({
      code: 'invalid_expiry_month',
      message: "Your card's expiration month is invalid.",
      param: 'exp_month',
    });
  if (expYear < new Date().getUTCFullYear())
    throw cardError({
      code: 'invalid_expiry_year',
      message: "Your card's expiration year is invalid.",
      param: 'exp_year',
    });
  const known = instrumentByNumber('card', number);
  if (known) return { instrument: known, details: { expMonth, expYear } };
  if (!/^\d{13,19}$/.test(number) || !isLuhnValid(number))
    throw cardError({ code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'number' });
  const brand = number.startsWith('4')
    ? 'visa'
    : number.startsWith('5')
      ? 'mastercard'
      : number.startsWith('3')
        ? 'amex'
        : 'unknown';
  return {
    instrument: { id: 'card_custom', type: 'card', number, label: 'Card', tokens: [], brand, behaviour: {} },
    details: { expMonth, expYear },
  };
}

export function bankInstrument(
  type: Exclude<MethodType, 'card'>,
  params: Params,
): { instrument: Instrument; details: Details } {
  const prefix = type;
  if (type === 'sepa_debit') {
    allowOnly(params, ['iban'], prefix);
    const iban = requiredStr(params, 'iban', prefix).replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban))
      throw invalidRequest(`The IBAN you provided (${iban}) is invalid.`, {
        code: 'invalid_bank_account_iban',
        param: 'sepa_debit[iban]',
      });
    return {
      instrument: instrumentByNumber(type, iban) ?? {
        id: 'sepa_custom',
        type,
        number: iban,
        label: 'IBAN',
        tokens: [],
        behaviour: { settle: 'normal' },
      },
      details: {},
    };
  }
  if (type === 'us_bank_account') {
    allowOnly(params, ['account_number', 'routing_number', 'account_holder_type', 'account_type'], prefix);
    const account = requiredStr(params, 'account_number', prefix);
    const routingNumber = requiredStr(params, 'routing_number', prefix);
    const holderType = oneOf(params, 'account_holder_type', ['company', 'individual'] as const, prefix);
    const accountType = oneOf(params, 'account_type', ['checking', 'savings'] as const, prefix);
    if (!/^\d{9}$/.test(routingNumber))
      throw invalidRequest('Routing number must have 9 digits.', {
        code: 'routing_number_invalid',
        param: 'us_bank_account[routing_number]',
      });
    return {
      instrument: instrumentByNumber(type, account) ?? {
        id: 'ach_custom',
        type,
        number: account,
        label: 'Bank account',
        tokens: [],
        behaviour: { settle: 'normal' },
      },
      details: {
        routingNumber,
        ...(holderType ? { holderType } : {}),
        ...(accountType ? { accountType } : {}),
      },
    };
  }
  allowOnly(params, ['account_number', 'sort_code'], prefix);
  const account = requiredStr(params, 'account_number', prefix);
  const sortCode = requiredStr(params, 'sort_code', prefix).replace(/-/g, '');
  if (!/^\d{8}$/.test(account))
    throw invalidRequest('Account number must have 8 digits.', {
      code: 'account_number_invalid',
      param: 'bacs_debit[account_number]',
    });
  return {
    instrument: instrumentByNumber(type, account) ?? {
      id: 'bacs_custom',
      type,
      number: account,
      label: 'Bank account',
      tokens: [],
      behaviour: { settle: 'normal' },
    },
    details: { sortCode },
  };
}
