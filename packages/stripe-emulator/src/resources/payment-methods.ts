import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { PaymentMethodState } from '../account.js';
import type { Ctx, Reply } from '../context.js';
import { cardError, invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import {
  type Instrument,
  instrumentById,
  instrumentByNumber,
  instrumentByToken,
  METHOD_TYPES,
} from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, expandList, hash, metadata, oneOf, type Params, requiredStr, str } from '../params.js';
import { getCustomer, getPaymentMethod, idOf } from './lookup.js';
import { bankInstrument, billingDetails, cardInstrument, type Details } from './payment-method-details.js';

export interface ResolvedPaymentMethod {
  pm: Stripe.PaymentMethod;
  state: PaymentMethodState;
}

function fingerprint(ctx: Ctx, number: string): string {
  return createHash('sha256').update(`${ctx.account.id}:${number}`).digest('base64url').slice(0, 16);
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
    case 'link':
      pm.link = { email: instrument.number } as Stripe.PaymentMethod.Link;
      break;
    case 'boleto':
      pm.boleto = { tax_id: instrument.number } satisfies Stripe.PaymentMethod.Boleto;
      break;
    case 'crypto':
      pm.crypto = {} as Stripe.PaymentMethod.Crypto;
      break;
    case 'customer_balance':
      pm.customer_balance = {} satisfies Stripe.PaymentMethod.CustomerBalance;
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
  if (!data && !NO_DETAILS.has(type)) throw parameterMissing(type);
  const { instrument, details } =
    type === 'card'
      ? cardInstrument(data ?? {})
      : type === 'boleto'
        ? boletoInstrument(data ?? {}, billing)
        : NO_DETAILS.has(type)
          ? { instrument: noDetailsInstrument(type), details: {} }
          : bankInstrument(type as 'sepa_debit' | 'us_bank_account' | 'bacs_debit', data ?? {});
  const { pm } = buildPaymentMethod(ctx, instrument, details, billing, meta);
  return { body: renderPaymentMethod(ctx, pm) };
}

/** Types created without details of their own (Stripe's empty `link`, `crypto`, `customer_balance` hashes). */
const NO_DETAILS: ReadonlySet<string> = new Set(['link', 'crypto', 'customer_balance']);

function noDetailsInstrument(type: string): Instrument {
  const id = { link: 'link_success', crypto: 'crypto_success' }[type] ?? 'customer_balance';
  const instrument = instrumentById(id);
  if (!instrument) throw new Error(`the ${id} instrument is missing`);
  return instrument;
}

/**
 * `boleto[tax_id]`: a CPF (11 digits) or CNPJ (14), with the name, email and address Stripe needs
 * on the voucher. Test tax ids pick the voucher's fate (`instruments.ts`); any other is paid.
 */
function boletoInstrument(
  data: Params,
  billing: Stripe.PaymentMethod.BillingDetails,
): { instrument: Instrument; details: Details } {
  allowOnly(data, ['tax_id'], 'boleto');
  const taxId = requiredStr(data, 'tax_id', 'boleto').replace(/[.\-/\s]/g, '');
  if (!/^(\d{11}|\d{14})$/.test(taxId))
    throw invalidRequest('The tax ID must be a CPF (11 digits) or a CNPJ (14 digits).', {
      code: 'invalid_tax_id',
      param: 'boleto[tax_id]',
    });
  for (const field of ['name', 'email'] as const)
    if (!billing[field]) throw parameterMissing(`billing_details[${field}]`);
  if (!billing.address?.line1 || !billing.address.postal_code || !billing.address.city)
    throw parameterMissing('billing_details[address]');
  const known = instrumentByNumber('boleto', taxId);
  return {
    instrument: known ?? {
      id: 'boleto_custom',
      type: 'boleto',
      number: taxId,
      label: 'Boleto',
      tokens: [],
      behaviour: { voucher: 'paid' },
    },
    details: {},
  };
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
