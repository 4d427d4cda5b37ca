import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { PaymentMethodState } from '../account.js';
import type { Ctx, Reply } from '../context.js';
import { cardError, invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import {
  type Instrument,
  instrumentByNumber,
  instrumentByToken,
  METHOD_TYPES,
  type MethodType,
} from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import {
  allowOnly,
  expandList,
  hash,
  int,
  metadata,
  nullableStr,
  oneOf,
  type Params,
  requiredStr,
  str,
} from '../params.js';
import { getCustomer, getPaymentMethod, idOf } from './lookup.js';

export interface ResolvedPaymentMethod {
  pm: Stripe.PaymentMethod;
  state: PaymentMethodState;
}

interface Details {
  expMonth?: number;
  expYear?: number;
  routingNumber?: string;
  sortCode?: string;
  holderType?: 'company' | 'individual';
  accountType?: 'checking' | 'savings';
}

function fingerprint(ctx: Ctx, number: string): string {
  return createHash('sha256').update(`${ctx.account.id}:${number}`).digest('base64url').slice(0, 16);
}

function billingDetails(params: Params | null | undefined): Stripe.PaymentMethod.BillingDetails {
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

export function buildPaymentMethod(
  ctx: Ctx,
  instrument: Instrument,
  details: Details = {},
  billing: Stripe.PaymentMethod.BillingDetails = billingDetails(null),
  meta: Record<string, string> = {},
  register = true,
): ResolvedPaymentMethod {
  const last4 = instrument.number.slice(-4);
  const fp = fingerprint(ctx, instrument.number);
  const base = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: billing,
    created: ctx.emu.clock.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: meta,
    type: instrument.type,
  } satisfies Stripe.PaymentMethod;
  const pm: Stripe.PaymentMethod = base;
  switch (instrument.type) {
    case 'card': {
      const brand = instrument.brand ?? 'visa';
      pm.card = {
        brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        display_brand: brand,
        exp_month: details.expMonth ?? 12,
        exp_year: details.expYear ?? new Date().getUTCFullYear() + 3,
        fingerprint: fp,
        funding: instrument.id === 'card_visa_debit' ? 'debit' : 'credit',
        generated_from: null,
        last4,
        networks: { available: [brand], preferred: null },
        regulated_status: 'unregulated',
        three_d_secure_usage: { supported: true },
        wallet: null,
      } satisfies Stripe.PaymentMethod.Card;
      break;
    }
    case 'sepa_debit':
      pm.sepa_debit = {
        bank_code: instrument.number.slice(4, 12),
        branch_code: '',
        country: instrument.number.slice(0, 2),
        fingerprint: fp,
        generated_from: null,
        last4,
      } satisfies Stripe.PaymentMethod.SepaDebit;
      break;
    case 'us_bank_account':
      pm.us_bank_account = {
        account_holder_type: details.holderType ?? 'individual',
        account_type: details.accountType ?? 'checking',
        bank_name: 'STRIPE TEST BANK',
        financial_connections_account: null,
        fingerprint: fp,
        last4,
        networks: { preferred: 'ach', supported: ['ach'] },
        routing_number: details.routingNumber ?? '110000000',
        status_details: null,
      } satisfies Stripe.PaymentMethod.UsBankAccount;
      break;
    case 'bacs_debit':
      pm.bacs_debit = {
        fingerprint: fp,
        last4,
        sort_code: details.sortCode ?? '108800',
      } satisfies Stripe.PaymentMethod.BacsDebit;
      break;
  }
  const state: PaymentMethodState = { instrument, detached: false, setUp: false };
  const resolved = { pm, state };
  if (register) registerPaymentMethod(ctx, resolved);
  return resolved;
}

/** Stores a PaymentMethod made from a magic token, once the request using it passed validation. */
export function registerPaymentMethod(ctx: Ctx, { pm, state }: ResolvedPaymentMethod): void {
  if (ctx.account.paymentMethods.has(pm.id)) return;
  ctx.account.paymentMethods.set(pm.id, pm);
  ctx.account.paymentMethodState.set(pm.id, state);
  ctx.emu.own(ctx.account, pm.id);
}

/**
 * A `pm_…` id or a magic test token; each use of a token makes a new PaymentMethod, which is
 * stored by `registerPaymentMethod` only when the request goes ahead.
 */
export function resolvePaymentMethod(ctx: Ctx, value: string, param: string): ResolvedPaymentMethod {
  const instrument = instrumentByToken(value);
  if (instrument) return buildPaymentMethod(ctx, instrument, {}, undefined, {}, false);
  const pm = getPaymentMethod(ctx, value, param);
  const state = ctx.account.paymentMethodState.get(pm.id) as PaymentMethodState;
  return { pm, state };
}

/** Fails without changing anything when the method cannot be used (detached or declined). */
export function checkAttachable({ pm, state }: ResolvedPaymentMethod, customerId: string | null): void {
  if (state.detached)
    throw invalidRequest(
      'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
      { param: 'payment_method' },
    );
  const owner = idOf(pm.customer);
  if (owner && owner !== customerId)
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      param: 'payment_method',
    });
  const decline = state.instrument.behaviour.decline;
  if (decline)
    throw cardError({
      code: decline.code,
      ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
      message: decline.message,
      param: '',
    });
}

export function attachPaymentMethod(
  ctx: Ctx,
  resolved: ResolvedPaymentMethod,
  customer: Stripe.Customer,
): void {
  checkAttachable(resolved, customer.id);
  registerPaymentMethod(ctx, resolved);
  if (idOf(resolved.pm.customer) === customer.id) return;
  resolved.pm.customer = customer.id;
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_method.attached', resolved.pm);
}

export function renderPaymentMethod(ctx: Ctx, pm: Stripe.PaymentMethod): Stripe.PaymentMethod {
  return expand(ctx.account, pm, expandList(ctx.params));
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

function cardInstrument(params: Params): { instrument: Instrument; details: Details } {
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

function bankInstrument(
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

export function createPaymentMethod(ctx: Ctx): Reply {
  const p = ctx.params;
  allowOnly(p, ['type', 'billing_details', 'metadata', ...METHOD_TYPES]);
  const type = oneOf(p, 'type', METHOD_TYPES);
  if (!type) throw parameterMissing('type');
  for (const other of METHOD_TYPES)
    if (other !== type && p[other] !== undefined)
      throw invalidRequest(`You cannot pass ${other} for a PaymentMethod of type ${type}.`, { param: other });
  const billing = billingDetails(hash(p, 'billing_details'));
  const meta = metadata(p) ?? {};
  const data = hash(p, type);
  if (!data) throw parameterMissing(type);
  const { instrument, details } = type === 'card' ? cardInstrument(data) : bankInstrument(type, data);
  const { pm } = buildPaymentMethod(ctx, instrument, details, billing, meta);
  return { body: renderPaymentMethod(ctx, pm) };
}

export function retrievePaymentMethod(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: renderPaymentMethod(ctx, getPaymentMethod(ctx, id)) };
}

export function updatePaymentMethod(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['billing_details', 'metadata']);
  const pm = getPaymentMethod(ctx, id);
  const billing = hash(ctx.params, 'billing_details');
  const meta = metadata(ctx.params, pm.metadata ?? {});
  const before = JSON.parse(JSON.stringify(pm)) as Stripe.PaymentMethod;
  if (billing) pm.billing_details = billingDetails(billing);
  if (meta !== undefined) pm.metadata = meta;
  const previous: Record<string, unknown> = {};
  if (billing) previous.billing_details = before.billing_details;
  if (meta !== undefined) previous.metadata = before.metadata;
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_method.updated', pm, previous);
  return { body: renderPaymentMethod(ctx, pm) };
}

export function attachRoute(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['customer']);
  const customerId = str(ctx.params, 'customer');
  if (!customerId) throw parameterMissing('customer');
  const resolved = resolvePaymentMethod(ctx, id, 'payment_method');
  const customer = getCustomer(ctx, customerId, 'customer');
  attachPaymentMethod(ctx, resolved, customer);
  return { body: renderPaymentMethod(ctx, resolved.pm) };
}

export function detachRoute(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  const pm = getPaymentMethod(ctx, id);
  const customerId = idOf(pm.customer);
  if (!customerId)
    throw invalidRequest(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
      { param: 'payment_method' },
    );
  pm.customer = null;
  (ctx.account.paymentMethodState.get(pm.id) as PaymentMethodState).detached = true;
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_method.detached', pm, { customer: customerId });
  const customer = ctx.account.customers.get(customerId);
  if (customer && idOf(customer.invoice_settings.default_payment_method) === pm.id) {
    const previous = { invoice_settings: { ...customer.invoice_settings } };
    customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: null };
    ctx.emu.events.emit(ctx.account, ctx.source, 'customer.updated', customer, previous);
  }
  return { body: renderPaymentMethod(ctx, pm) };
}

function listFor(ctx: Ctx, customerId: string | undefined, url: string): Reply {
  const type = oneOf(ctx.params, 'type', METHOD_TYPES);
  let items = newestFirst(ctx.account.paymentMethods.values());
  if (customerId !== undefined) items = items.filter((pm) => idOf(pm.customer) === customerId);
  if (type) items = items.filter((pm) => pm.type === type);
  const page = paginate(ctx.params, items, url);
  return { body: expand(ctx.account, page, expandList(ctx.params)) };
}

export function listPaymentMethods(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'customer', 'type']);
  const customerId = str(ctx.params, 'customer');
  if (customerId) getCustomer(ctx, customerId, 'customer');
  return listFor(ctx, customerId, '/v1/payment_methods');
}

export function listCustomerPaymentMethods(ctx: Ctx, customerId: string): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'type', 'allow_redisplay']);
  getCustomer(ctx, customerId);
  return listFor(ctx, customerId, `/v1/customers/${customerId}/payment_methods`);
}

export function retrieveCustomerPaymentMethod(ctx: Ctx, customerId: string, pmId: string): Reply {
  allowOnly(ctx.params, []);
  getCustomer(ctx, customerId);
  const pm = getPaymentMethod(ctx, pmId);
  if (idOf(pm.customer) !== customerId)
    throw invalidRequest(`No such PaymentMethod: '${pmId}'`, {
      code: 'resource_missing',
      param: 'payment_method',
      status: 404,
    });
  return { body: renderPaymentMethod(ctx, pm) };
}
