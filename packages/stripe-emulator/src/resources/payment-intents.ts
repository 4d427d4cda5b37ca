/** PaymentIntent routes: reading parameters, creating, updating, confirming and canceling. */
import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId, newSecret } from '../ids.js';
import {
  convertToSettlementCents,
  formatAmount,
  formatMinimum,
  type MethodType,
  MINIMUM_AMOUNT,
  SETTLEMENT_CURRENCY,
} from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import {
  allowOnly,
  bool,
  expandList,
  hash,
  int,
  metadata,
  nullableStr,
  oneOf,
  type Params,
  str,
} from '../params.js';
import { customerBalanceMethod, readCustomerBalanceOptions, transferOf } from './cash-balance.js';
import { getCustomer, getPaymentIntent, idOf } from './lookup.js';
import { type MandateChoice, namedMandate, readMandateData } from './mandates.js';
import { chooseMethodTypes, compatible, type MethodTypeChoice } from './method-types.js';
import { assertConfirmable, confirmWith, renderPaymentIntent, stateOf } from './payment-attempts.js';
import {
  type ResolvedPaymentMethod,
  registerPaymentMethod,
  resolvePaymentMethod,
} from './payment-methods.js';

const CREATE_PARAMS = [
  'amount',
  'currency',
  'customer',
  'payment_method',
  'confirm',
  'off_session',
  'error_on_requires_action',
  'allowed_payment_method_types',
  'excluded_payment_method_types',
  'metadata',
  'description',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'capture_method',
  'setup_future_usage',
  'receipt_email',
  'return_url',
  'mandate',
  'mandate_data',
  'payment_method_data',
  'payment_method_options',
];

function readAmount(params: Params, currency: string): number {
  const amount = int(params, 'amount');
  if (amount === undefined) throw parameterMissing('amount');
  assertAboveMinimum(currency, amount);
  if (amount > 99_999_999_999)
    throw invalidRequest('Amount must be no more than 999,999,999.99', {
      code: 'amount_too_large',
      param: 'amount',
    });
  return amount;
}

/**
 * Stripe's minimum charge (stripe-facts §4.1): a currency with its own minimum is checked against
 * it; any other currency must convert to at least the settlement currency's minimum, worded as
 * Stripe words it ("Amount must convert to at least 50 cents. NT$10.00 converts to approximately $0.31.").
 */
export function assertAboveMinimum(currency: string, amount: number, param = 'amount'): void {
  const own = MINIMUM_AMOUNT[currency];
  const converted = own === undefined ? convertToSettlementCents(currency, amount) : null;
  if (own === undefined && converted !== null) {
    const settlementMinimum = MINIMUM_AMOUNT[SETTLEMENT_CURRENCY] as number;
    if (converted < settlementMinimum)
      throw invalidRequest(
        `Amount must convert to at least ${settlementMinimum} cents. ${formatAmount(currency, amount)} converts to approximately ${formatAmount(SETTLEMENT_CURRENCY, converted)}.`,
        { code: 'amount_too_small', param },
      );
    return;
  }
  const min = own ?? 50;
  if (amount < min)
    throw invalidRequest(`Amount must be at least ${formatMinimum(currency, min)}`, {
      code: 'amount_too_small',
      param,
    });
}

function readCurrency(params: Params): string {
  const currency = str(params, 'currency');
  if (!currency) throw parameterMissing('currency');
  if (!/^[a-zA-Z]{3}$/.test(currency))
    throw invalidRequest(`Invalid currency: ${currency}.`, {
      code: 'parameter_invalid_string',
      param: 'currency',
    });
  return currency.toLowerCase();
}

interface ConfirmOptions {
  offSession: boolean;
  errorOnRequiresAction: boolean;
  returnUrl: string | null;
}

function readOffSession(params: Params, confirming: boolean): boolean | undefined {
  const raw = str(params, 'off_session');
  if (raw === undefined) return undefined;
  if (!confirming)
    throw invalidRequest('off_session can only be used when confirming the PaymentIntent (confirm=true).', {
      param: 'off_session',
    });
  if (raw === 'one_off' || raw === 'recurring') return true;
  return bool(params, 'off_session');
}

function readConfirmOptions(params: Params, confirming: boolean): Partial<ConfirmOptions> {
  const opts: Partial<ConfirmOptions> = {};
  const off = readOffSession(params, confirming);
  if (off !== undefined) opts.offSession = off;
  const eora = bool(params, 'error_on_requires_action');
  if (eora !== undefined) {
    if (!confirming)
      throw invalidRequest('error_on_requires_action can only be used with confirm=true.', {
        param: 'error_on_requires_action',
      });
    opts.errorOnRequiresAction = eora;
  }
  const returnUrl = str(params, 'return_url');
  if (returnUrl !== undefined) opts.returnUrl = returnUrl;
  return opts;
}

/**
 * `mandate` / `mandate_data` of a confirmation, checked before anything changes: a named mandate
 * must be an active one of the method being charged.
 */
function readMandateChoice(
  ctx: Ctx,
  params: Params,
  confirming: boolean,
  resolved: ResolvedPaymentMethod | null,
): MandateChoice {
  const mandateId = str(params, 'mandate');
  const acceptance = readMandateData(ctx, params);
  for (const [param, given] of [
    ['mandate', mandateId !== undefined],
    ['mandate_data', acceptance !== null],
  ] as const) {
    if (given && !confirming)
      throw invalidRequest(
        `The parameter \`${param}\` cannot be passed when creating a PaymentIntent unless \`confirm\` is set to true`,
        { param },
      );
  }
  if (mandateId !== undefined && acceptance !== null)
    throw invalidRequest('You cannot pass both `mandate` and `mandate_data`.', {
      code: 'parameters_exclusive',
      param: 'mandate_data',
    });
  if (mandateId !== undefined && resolved) return { mandate: namedMandate(ctx, mandateId, resolved.pm) };
  return acceptance ? { acceptance } : {};
}

/** Rejects a PaymentMethod this intent cannot use, before anything changes. */
function checkUsable(pi: Stripe.PaymentIntent, resolved: ResolvedPaymentMethod): void {
  const { pm, state } = resolved;
  if (state.detached)
    throw invalidRequest(
      'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
      { param: 'payment_method' },
    );
  const owner = idOf(pm.customer);
  const customer = idOf(pi.customer);
  if (owner && !customer)
    throw invalidRequest(
      `The provided PaymentMethod belongs to a Customer, but you did not pass the customer parameter. Pass customer=${owner} to use this PaymentMethod.`,
      { param: 'customer' },
    );
  if (owner && customer && owner !== customer)
    throw invalidRequest('The provided PaymentMethod belongs to another Customer.', {
      param: 'payment_method',
    });
  const type = pm.type as MethodType;
  if (!compatible(type, pi.currency))
    throw invalidRequest(
      `The currency provided (${pi.currency}) is invalid for the payment method type ${type}.`,
      { code: 'payment_method_currency_mismatch', param: 'payment_method' },
    );
  if (!pi.payment_method_types.includes(type))
    throw invalidRequest(
      `The PaymentIntent's allowed payment method types (${pi.payment_method_types.join(', ')}) do not include ${type}.`,
      { code: 'payment_intent_incompatible_payment_method', param: 'payment_method' },
    );
}

export function createPaymentIntent(ctx: Ctx): Reply {
  const p = ctx.params;
  allowOnly(p, CREATE_PARAMS);
  const currency = readCurrency(p);
  const amount = readAmount(p, currency);
  const confirm = bool(p, 'confirm') ?? false;
  const opts = readConfirmOptions(p, confirm);
  const captureMethod =
    oneOf(p, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async';
  if (captureMethod === 'manual')
    throw invalidRequest(
      'The emulator does not support capture_method=manual; payments are captured automatically.',
      {
        param: 'capture_method',
      },
    );
  const customerId = str(p, 'customer');
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : null;
  const choice = chooseMethodTypes(p, currency);
  const meta = metadata(p) ?? {};
  const setupFutureUsage = oneOf(p, 'setup_future_usage', ['off_session', 'on_session'] as const) ?? null;
  const pmParam = str(p, 'payment_method');
  const pmData = readMethodData(ctx, p);
  if (pmParam && pmData)
    throw invalidRequest(
      'You may only specify one of these parameters: payment_method, payment_method_data.',
      {
        param: 'payment_method_data',
      },
    );
  const resolved = pmParam ? resolvePaymentMethod(ctx, pmParam, 'payment_method') : pmData;
  const balanceOptions = readCustomerBalanceOptions(p, currency);
  const candidate = buildPaymentIntent(ctx, {
    amount,
    currency,
    customer: customer?.id ?? null,
    choice,
    captureMethod,
    description: nullableStr(p, 'description') ?? null,
    metadata: meta,
    receiptEmail: nullableStr(p, 'receipt_email') ?? null,
    setupFutureUsage,
    statementDescriptor: nullableStr(p, 'statement_descriptor') ?? null,
    statementDescriptorSuffix: nullableStr(p, 'statement_descriptor_suffix') ?? null,
  });
  if (balanceOptions) candidate.payment_method_options = { customer_balance: balanceOptions };
  if (resolved) checkUsable(candidate, resolved);
  if (confirm && resolved?.pm.type === 'customer_balance') {
    if (!customer)
      throw invalidRequest('A customer is required to use the customer_balance payment method.', {
        param: 'customer',
      });
    transferOf(candidate);
  }
  const mandateChoice = readMandateChoice(ctx, p, confirm, resolved);
  if (confirm && !resolved)
    throw invalidRequest(
      'You cannot confirm this PaymentIntent because it is missing a payment method. Pass payment_method.',
      { code: 'payment_intent_unexpected_state', param: 'payment_method' },
    );
  if (resolved) {
    registerPaymentMethod(ctx, resolved);
    candidate.payment_method = resolved.pm.id;
    candidate.status = 'requires_confirmation';
  }
  const stored = storePaymentIntent(ctx, candidate, opts);
  if (confirm) confirmWith(ctx, stored, resolved, mandateChoice);
  return { body: renderPaymentIntent(ctx, stored) };
}

/**
 * `payment_method_data`: the emulator makes methods that carry no details of their own this way
 * (a bank transfer, a crypto payment), as Lago does for `customer_balance`.
 */
function readMethodData(ctx: Ctx, params: Params): ResolvedPaymentMethod | null {
  const data = hash(params, 'payment_method_data');
  if (!data) return null;
  allowOnly(data, ['type', 'billing_details', 'metadata'], 'payment_method_data');
  const type = oneOf(data, 'type', ['customer_balance'] as const, 'payment_method_data');
  if (!type) throw parameterMissing('payment_method_data[type]');
  return customerBalanceMethod(ctx);
}

export interface PaymentIntentInit {
  amount: number;
  currency: string;
  customer: string | null;
  choice: MethodTypeChoice;
  captureMethod: 'automatic' | 'automatic_async';
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  setupFutureUsage: 'off_session' | 'on_session' | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
}

/** A new PaymentIntent object, not yet stored (so a validation error leaves nothing behind). */
export function buildPaymentIntent(ctx: Ctx, init: PaymentIntentInit): Stripe.PaymentIntent {
  const pi = {
    id: newId('pi'),
    object: 'payment_intent',
    allowed_payment_method_types: init.choice.allowed,
    amount: init.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: init.captureMethod,
    client_secret: null as string | null,
    confirmation_method: 'automatic',
    created: ctx.emu.clock.now(),
    currency: init.currency,
    customer: init.customer,
    customer_account: null,
    description: init.description,
    excluded_payment_method_types: init.choice.excluded,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: init.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: init.choice.types,
    payment_record: null,
    processing: null,
    receipt_email: init.receiptEmail,
    review: null,
    setup_future_usage: init.setupFutureUsage,
    shipping: null,
    source: null,
    statement_descriptor: init.statementDescriptor,
    statement_descriptor_suffix: init.statementDescriptorSuffix,
    status: 'requires_payment_method',
    transfer_group: null,
  } satisfies Stripe.PaymentIntent;
  const built: Stripe.PaymentIntent = pi;
  built.client_secret = `${built.id}_secret_${newSecret('', 24)}`;
  return built;
}

/** Stores a built intent with its confirmation options and announces it (`payment_intent.created`). */
export function storePaymentIntent(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  opts: Partial<ConfirmOptions> = {},
): Stripe.PaymentIntent {
  ctx.account.paymentIntents.set(pi.id, pi);
  ctx.account.paymentIntentState.set(pi.id, {
    offSession: opts.offSession ?? false,
    errorOnRequiresAction: opts.errorOnRequiresAction ?? false,
    returnUrl: opts.returnUrl ?? null,
  });
  ctx.emu.own(ctx.account, pi.id);
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.created', pi);
  return pi;
}

export function retrievePaymentIntent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['client_secret']);
  return { body: renderPaymentIntent(ctx, getPaymentIntent(ctx, id)) };
}

export function confirmPaymentIntent(ctx: Ctx, id: string): Reply {
  const p = ctx.params;
  allowOnly(p, [
    'payment_method',
    'off_session',
    'error_on_requires_action',
    'return_url',
    'setup_future_usage',
    'receipt_email',
    'mandate',
    'mandate_data',
  ]);
  const pi = getPaymentIntent(ctx, id);
  const opts = readConfirmOptions(p, true);
  assertConfirmable(pi);
  const pmParam = str(p, 'payment_method');
  const resolved = pmParam
    ? resolvePaymentMethod(ctx, pmParam, 'payment_method')
    : pi.payment_method
      ? resolvePaymentMethod(ctx, idOf(pi.payment_method) as string, 'payment_method')
      : null;
  if (resolved) checkUsable(pi, resolved);
  const mandateChoice = readMandateChoice(ctx, p, true, resolved);
  const state = stateOf(ctx, pi);
  // `off_session` and `error_on_requires_action` describe one confirmation, not the intent: a
  // confirm that omits them is an on-session attempt that may stop in requires_action.
  state.offSession = opts.offSession ?? false;
  state.errorOnRequiresAction = opts.errorOnRequiresAction ?? false;
  if (opts.returnUrl !== undefined) state.returnUrl = opts.returnUrl;
  const receipt = nullableStr(p, 'receipt_email');
  if (receipt !== undefined) pi.receipt_email = receipt;
  confirmWith(ctx, pi, resolved, mandateChoice);
  return { body: renderPaymentIntent(ctx, pi) };
}

const UPDATABLE_STATES = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function updatePaymentIntent(ctx: Ctx, id: string): Reply {
  const p = ctx.params;
  allowOnly(p, [
    'amount',
    'currency',
    'customer',
    'payment_method',
    'description',
    'metadata',
    'receipt_email',
    'statement_descriptor',
    'statement_descriptor_suffix',
    'setup_future_usage',
    'allowed_payment_method_types',
  ]);
  const pi = getPaymentIntent(ctx, id);
  const restricted = [
    'amount',
    'currency',
    'customer',
    'payment_method',
    'allowed_payment_method_types',
    'setup_future_usage',
  ];
  if (restricted.some((k) => p[k] !== undefined) && !UPDATABLE_STATES.includes(pi.status))
    throw invalidRequest(
      `This PaymentIntent's ${restricted.find((k) => p[k] !== undefined)} could not be updated because it has a status of ${pi.status}. You may only update the ${restricted.find((k) => p[k] !== undefined)} of a PaymentIntent with one of the following statuses: ${UPDATABLE_STATES.join(', ')}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  const currency = p.currency !== undefined ? readCurrency(p) : pi.currency;
  const amount = p.amount !== undefined ? readAmount(p, currency) : pi.amount;
  const customerId = str(p, 'customer');
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : undefined;
  const choice = p.allowed_payment_method_types !== undefined ? chooseMethodTypes(p, currency) : null;
  const meta = metadata(p, pi.metadata);
  const next: Stripe.PaymentIntent = {
    ...pi,
    amount,
    currency,
    ...(customer ? { customer: customer.id } : {}),
    ...(choice ? { allowed_payment_method_types: choice.allowed, payment_method_types: choice.types } : {}),
    ...(meta !== undefined ? { metadata: meta } : {}),
  };
  for (const key of [
    'description',
    'receipt_email',
    'statement_descriptor',
    'statement_descriptor_suffix',
  ] as const) {
    const v = nullableStr(p, key);
    if (v !== undefined) next[key] = v;
  }
  const sfu = oneOf(p, 'setup_future_usage', ['off_session', 'on_session'] as const);
  if (sfu !== undefined) next.setup_future_usage = sfu;
  const pmParam = str(p, 'payment_method');
  if (pmParam) {
    const resolved = resolvePaymentMethod(ctx, pmParam, 'payment_method');
    checkUsable(next, resolved);
    registerPaymentMethod(ctx, resolved);
    next.payment_method = resolved.pm.id;
    next.status = 'requires_confirmation';
  }
  Object.assign(pi, next);
  return { body: renderPaymentIntent(ctx, pi) };
}

export function cancelPaymentIntent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['cancellation_reason']);
  const reason =
    oneOf(ctx.params, 'cancellation_reason', [
      'duplicate',
      'fraudulent',
      'requested_by_customer',
      'abandoned',
    ] as const) ?? null;
  const pi = getPaymentIntent(ctx, id);
  const cancellable = [
    'requires_payment_method',
    'requires_capture',
    'requires_confirmation',
    'requires_action',
  ];
  if (!cancellable.includes(pi.status))
    throw invalidRequest(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancellable.join(', ')}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  pi.status = 'canceled';
  pi.canceled_at = ctx.emu.clock.now();
  pi.cancellation_reason = reason;
  pi.next_action = null;
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.canceled', pi);
  return { body: renderPaymentIntent(ctx, pi) };
}

export function listPaymentIntents(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'customer']);
  const customer = str(ctx.params, 'customer');
  let items = newestFirst(ctx.account.paymentIntents.values());
  if (customer) items = items.filter((pi) => idOf(pi.customer) === customer);
  return {
    body: expand(ctx.account, paginate(ctx.params, items, '/v1/payment_intents'), expandList(ctx.params)),
  };
}
