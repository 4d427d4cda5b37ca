/**
 * SetupIntents: saving a payment method for later off-session use. Success attaches the method
 * to the customer; declined cards fail; cards needing authentication wait in `requires_action`
 * until the test control (or the hosted checkout page) completes the challenge.
 */
import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { cardError, invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId, newSecret } from '../ids.js';
import type { Failure } from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, bool, expandList, metadata, nullableStr, oneOf, str } from '../params.js';
import { getCustomer, getSetupIntent, idOf } from './lookup.js';
import { type Acceptance, createMandate, needsMandate, readMandateData } from './mandates.js';
import { chooseMethodTypes } from './method-types.js';
import {
  attachPaymentMethod,
  type ResolvedPaymentMethod,
  registerPaymentMethod,
  resolvePaymentMethod,
} from './payment-methods.js';

export interface SetupIntentInput {
  customer: Stripe.Customer | null;
  usage: 'off_session' | 'on_session';
  choice: ReturnType<typeof chooseMethodTypes>;
  metadata: Record<string, string>;
  description: string | null;
}

export function buildSetupIntent(ctx: Ctx, input: SetupIntentInput): Stripe.SetupIntent {
  const si = {
    id: newId('seti'),
    object: 'setup_intent',
    allowed_payment_method_types: input.choice.allowed,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: null as string | null,
    created: ctx.emu.clock.now(),
    customer: input.customer?.id ?? null,
    description: input.description,
    excluded_payment_method_types: input.choice.excluded,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: input.choice.types,
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: input.usage,
  } satisfies Stripe.SetupIntent;
  const stored: Stripe.SetupIntent = si;
  stored.client_secret = `${stored.id}_secret_${newSecret('', 24)}`;
  ctx.account.setupIntents.set(stored.id, stored);
  ctx.emu.own(ctx.account, stored.id);
  ctx.emu.events.emit(ctx.account, ctx.source, 'setup_intent.created', stored);
  return stored;
}

function checkUsable(si: Stripe.SetupIntent, { pm, state }: ResolvedPaymentMethod): void {
  if (state.detached)
    throw invalidRequest('This PaymentMethod was detached from a Customer and may not be used again.', {
      param: 'payment_method',
    });
  const owner = idOf(pm.customer);
  if (owner && owner !== idOf(si.customer))
    throw invalidRequest('The provided PaymentMethod belongs to another Customer.', {
      param: 'payment_method',
    });
  if (!si.payment_method_types.includes(pm.type))
    throw invalidRequest(
      `The SetupIntent's payment method types (${si.payment_method_types.join(', ')}) do not include ${pm.type}.`,
      { code: 'setup_intent_incompatible_payment_method', param: 'payment_method' },
    );
}

function setupFailed(ctx: Ctx, si: Stripe.SetupIntent, pm: Stripe.PaymentMethod, failure: Failure) {
  si.status = 'requires_payment_method';
  si.payment_method = null;
  si.next_action = null;
  si.last_setup_error = {
    type: 'card_error',
    code: failure.code,
    ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
    message: failure.message,
    payment_method: JSON.parse(JSON.stringify(pm)),
    payment_method_type: pm.type,
  };
  ctx.emu.events.emit(ctx.account, ctx.source, 'setup_intent.setup_failed', si);
  return cardError({
    code: failure.code,
    ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
    message: failure.message,
    setup_intent: renderSetupIntent(ctx, si),
    payment_method: JSON.parse(JSON.stringify(pm)),
    payment_method_type: pm.type,
  });
}

/**
 * One confirmation attempt; `authenticated` means a 3D Secure challenge was already passed.
 * `acceptance` is the customer's acceptance of the mandate a bank debit method is set up under.
 */
export function attemptSetup(
  ctx: Ctx,
  si: Stripe.SetupIntent,
  resolved: ResolvedPaymentMethod,
  authenticated: boolean,
  acceptance: Acceptance | null,
): void {
  const { pm, state } = resolved;
  const b = state.instrument.behaviour;
  registerPaymentMethod(ctx, resolved);
  si.payment_method = pm.id;
  si.last_setup_error = null;
  const failure = b.decline ?? b.setupFailure;
  if (failure) throw setupFailed(ctx, si, pm, failure);
  if (b.auth && !authenticated) {
    si.status = 'requires_action';
    si.next_action = {
      type: 'use_stripe_sdk',
      use_stripe_sdk: {
        type: 'three_d_secure_redirect',
        stripe_js: `${ctx.emu.baseUrl}/_emulator/authenticate/${si.id}`,
      },
    };
    ctx.emu.events.emit(ctx.account, ctx.source, 'setup_intent.requires_action', si);
    return;
  }
  const customer = si.customer ? ctx.account.customers.get(idOf(si.customer) as string) : undefined;
  if (customer) attachPaymentMethod(ctx, resolved, customer);
  state.setUp = true;
  if (needsMandate(pm)) {
    if (!acceptance) throw new Error(`bank debit SetupIntent ${si.id} confirmed without mandate acceptance`);
    si.mandate = createMandate(ctx, pm, acceptance).id;
  }
  si.status = 'succeeded';
  si.next_action = null;
  ctx.emu.events.emit(ctx.account, ctx.source, 'setup_intent.succeeded', si);
}

export function renderSetupIntent(ctx: Ctx, si: Stripe.SetupIntent): Stripe.SetupIntent {
  return expand(ctx.account, si, expandList(ctx.params));
}

/**
 * A bank debit method set up through the API needs the customer's acceptance of the mandate in
 * `mandate_data` (the hosted Checkout page collects it itself); checked before anything changes.
 */
function requireAcceptance(resolved: ResolvedPaymentMethod | null, acceptance: Acceptance | null): void {
  if (resolved && needsMandate(resolved.pm) && !acceptance) throw parameterMissing('mandate_data');
}

function confirmSetup(
  ctx: Ctx,
  si: Stripe.SetupIntent,
  resolved: ResolvedPaymentMethod | null,
  acceptance: Acceptance | null,
): void {
  if (!['requires_payment_method', 'requires_confirmation'].includes(si.status))
    throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, {
      code: 'setup_intent_unexpected_state',
    });
  if (!resolved)
    throw invalidRequest('You cannot confirm this SetupIntent because it is missing a payment method.', {
      code: 'setup_intent_unexpected_state',
      param: 'payment_method',
    });
  attemptSetup(ctx, si, resolved, false, acceptance);
}

export function createSetupIntent(ctx: Ctx): Reply {
  const p = ctx.params;
  allowOnly(p, [
    'customer',
    'payment_method',
    'confirm',
    'usage',
    'allowed_payment_method_types',
    'excluded_payment_method_types',
    'metadata',
    'description',
    'return_url',
    'mandate_data',
  ]);
  const customerId = str(p, 'customer');
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : null;
  const confirm = bool(p, 'confirm') ?? false;
  const usage = oneOf(p, 'usage', ['off_session', 'on_session'] as const) ?? 'off_session';
  const choice = chooseMethodTypes(p, null, { setup: true });
  const meta = metadata(p) ?? {};
  const description = nullableStr(p, 'description') ?? null;
  const pmParam = str(p, 'payment_method');
  const resolved = pmParam ? resolvePaymentMethod(ctx, pmParam, 'payment_method') : null;
  const probe = { customer: customer?.id ?? null, payment_method_types: choice.types } as Stripe.SetupIntent;
  if (resolved) checkUsable(probe, resolved);
  const acceptance = readMandateData(ctx, p);
  if (acceptance && !confirm)
    throw invalidRequest(
      'The parameter `mandate_data` cannot be passed when creating a SetupIntent unless `confirm` is set to true',
      { param: 'mandate_data' },
    );
  if (confirm) requireAcceptance(resolved, acceptance);
  const si = buildSetupIntent(ctx, { customer, usage, choice, metadata: meta, description });
  if (resolved) {
    registerPaymentMethod(ctx, resolved);
    si.payment_method = resolved.pm.id;
    si.status = 'requires_confirmation';
  }
  if (confirm) confirmSetup(ctx, si, resolved, acceptance);
  return { body: renderSetupIntent(ctx, si) };
}

export function retrieveSetupIntent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['client_secret']);
  return { body: renderSetupIntent(ctx, getSetupIntent(ctx, id)) };
}

export function updateSetupIntent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['customer', 'payment_method', 'metadata', 'description']);
  const si = getSetupIntent(ctx, id);
  const customerId = str(ctx.params, 'customer');
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : undefined;
  const meta = metadata(ctx.params, si.metadata ?? {});
  const description = nullableStr(ctx.params, 'description');
  const pmParam = str(ctx.params, 'payment_method');
  const editable = ['requires_payment_method', 'requires_confirmation'].includes(si.status);
  if ((customer || pmParam) && !editable)
    throw invalidRequest(`You cannot update this SetupIntent because it has a status of ${si.status}.`, {
      code: 'setup_intent_unexpected_state',
    });
  const resolved = pmParam ? resolvePaymentMethod(ctx, pmParam, 'payment_method') : null;
  if (resolved) checkUsable({ ...si, customer: customer?.id ?? si.customer }, resolved);
  if (customer) si.customer = customer.id;
  if (resolved) {
    registerPaymentMethod(ctx, resolved);
    si.payment_method = resolved.pm.id;
    si.status = 'requires_confirmation';
  }
  if (meta !== undefined) si.metadata = meta;
  if (description !== undefined) si.description = description;
  return { body: renderSetupIntent(ctx, si) };
}

export function confirmSetupIntent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['payment_method', 'return_url', 'mandate_data']);
  const si = getSetupIntent(ctx, id);
  if (ctx.account.checkoutSetupIntents.has(si.id))
    throw invalidRequest(
      "You can't confirm or cancel the SetupIntent for a Checkout Session. To cancel, expire the Checkout Session instead.",
      { code: 'setup_intent_unexpected_state' },
    );
  const pmParam = str(ctx.params, 'payment_method');
  const pmId = pmParam ?? idOf(si.payment_method);
  const resolved = pmId ? resolvePaymentMethod(ctx, pmId, 'payment_method') : null;
  if (resolved) checkUsable(si, resolved);
  const acceptance = readMandateData(ctx, ctx.params);
  requireAcceptance(resolved, acceptance);
  confirmSetup(ctx, si, resolved, acceptance);
  return { body: renderSetupIntent(ctx, si) };
}

/** Completes or fails the 3D Secure challenge of a SetupIntent in `requires_action`. */
export function authenticateSetupIntent(ctx: Ctx, si: Stripe.SetupIntent, success: boolean): void {
  if (si.status !== 'requires_action')
    throw invalidRequest(`SetupIntent ${si.id} does not require action (status: ${si.status}).`, {
      code: 'setup_intent_unexpected_state',
    });
  const resolved = resolvePaymentMethod(ctx, idOf(si.payment_method) as string, 'payment_method');
  if (success) {
    // Only cards ask for authentication, and cards are set up without a mandate.
    attemptSetup(ctx, si, resolved, true, null);
    return;
  }
  si.status = 'requires_payment_method';
  si.next_action = null;
  si.payment_method = null;
  si.last_setup_error = {
    type: 'invalid_request_error',
    code: 'setup_intent_authentication_failure',
    message:
      'The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set up again.',
    payment_method: JSON.parse(JSON.stringify(resolved.pm)),
    payment_method_type: resolved.pm.type,
  };
  ctx.emu.events.emit(ctx.account, ctx.source, 'setup_intent.setup_failed', si);
}

export function cancelSetupIntent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['cancellation_reason']);
  const reason = oneOf(ctx.params, 'cancellation_reason', [
    'abandoned',
    'duplicate',
    'requested_by_customer',
  ] as const);
  const si = getSetupIntent(ctx, id);
  if (ctx.account.checkoutSetupIntents.has(si.id))
    throw invalidRequest(
      "You can't confirm or cancel the SetupIntent for a Checkout Session. To cancel, expire the Checkout Session instead.",
      { code: 'setup_intent_unexpected_state' },
    );
  if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(si.status))
    throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, {
      code: 'setup_intent_unexpected_state',
    });
  si.status = 'canceled';
  si.cancellation_reason = reason ?? null;
  si.next_action = null;
  ctx.emu.events.emit(ctx.account, ctx.source, 'setup_intent.canceled', si);
  return { body: renderSetupIntent(ctx, si) };
}

export function listSetupIntents(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'customer', 'payment_method']);
  const customer = str(ctx.params, 'customer');
  const pm = str(ctx.params, 'payment_method');
  let items = newestFirst(ctx.account.setupIntents.values());
  if (customer) items = items.filter((s) => idOf(s.customer) === customer);
  if (pm) items = items.filter((s) => idOf(s.payment_method) === pm);
  return {
    body: expand(ctx.account, paginate(ctx.params, items, '/v1/setup_intents'), expandList(ctx.params)),
  };
}
