/**
 * A PaymentIntent's confirmation attempts and their outcomes, driven by the test instrument behind
 * the PaymentMethod (stripe-facts.md §2.6, §3): success, decline, authentication, or a bank debit
 * that settles later on the emulator clock.
 */
import type Stripe from 'stripe';
import type { PaymentIntentState } from '../account.js';
import { type Ctx, systemCtx } from '../context.js';
import { cardError, invalidRequest } from '../errors.js';
import { expand } from '../expand.js';
import type { Failure } from '../instruments.js';
import { expandList } from '../params.js';
import { openVoucher } from './boleto.js';
import { awaitTransfer } from './cash-balance.js';
import { createCharge, settleCharge } from './charges.js';
import { openDispute } from './disputes.js';
import { idOf } from './lookup.js';
import {
  type Acceptance,
  activeMandate,
  createMandate,
  type MandateChoice,
  mandateRequired,
  needsMandate,
  spendMandate,
} from './mandates.js';
import {
  type ResolvedPaymentMethod,
  registerPaymentMethod,
  resolvePaymentMethod,
} from './payment-methods.js';

/** Emulator-clock delays for bank debits: settle after a minute, "delayed" instruments after three. */
export const SETTLE_SECONDS = 60;
export const DELAYED_SETTLE_SECONDS = 180;

const AUTH_FAILURE: Failure = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

const ACTION_REQUIRED: Failure = {
  code: 'payment_intent_action_required',
  message:
    'The payment method requires the customer to act to complete the payment, but error_on_requires_action was set.',
};

export function stateOf(ctx: Ctx, pi: Stripe.PaymentIntent): PaymentIntentState {
  return ctx.account.paymentIntentState.get(pi.id) as PaymentIntentState;
}

export function renderPaymentIntent(ctx: Ctx, pi: Stripe.PaymentIntent): Stripe.PaymentIntent {
  return expand(ctx.account, pi, expandList(ctx.params));
}

function lastError(
  pm: Stripe.PaymentMethod,
  failure: Failure,
  chargeId: string | null,
): Stripe.PaymentIntent.LastPaymentError {
  return {
    type: 'card_error',
    code: failure.code,
    ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`,
    message: failure.message,
    ...(chargeId ? { charge: chargeId } : {}),
    payment_method: JSON.parse(JSON.stringify(pm)),
    payment_method_type: pm.type,
  };
}

export function fail(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  failure: Failure,
  charge: Stripe.Charge | null,
) {
  const wasWaiting = pi.status === 'requires_action';
  pi.status = 'requires_payment_method';
  pi.last_payment_error = lastError(pm, failure, charge?.id ?? null);
  pi.payment_method = null;
  pi.next_action = null;
  if (charge) {
    pi.latest_charge = charge.id;
    ctx.emu.events.emit(ctx.account, ctx.source, 'charge.failed', charge);
  }
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.payment_failed', pi);
  if (wasWaiting) {
    const session = checkoutSessionOf(ctx, pi.id);
    if (session?.status === 'complete' && session.payment_status !== 'paid')
      ctx.emu.events.emit(ctx.account, ctx.source, 'checkout.session.async_payment_failed', session);
  }
}

export function succeed(ctx: Ctx, pi: Stripe.PaymentIntent, charge: Stripe.Charge, pm: Stripe.PaymentMethod) {
  const wasWaiting = pi.status === 'requires_action';
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  pi.latest_charge = charge.id;
  pi.next_action = null;
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.succeeded', charge);
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.succeeded', pi);
  if (wasWaiting) {
    // A voucher or transfer paid after its Checkout page completed: the session learns it now.
    const session = checkoutSessionOf(ctx, pi.id);
    if (session?.status === 'complete' && session.payment_status !== 'paid') {
      session.payment_status = 'paid';
      ctx.emu.events.emit(ctx.account, ctx.source, 'checkout.session.async_payment_succeeded', session);
    }
  }
  const dispute = ctx.account.paymentMethodState.get(pm.id)?.instrument.behaviour.dispute;
  if (dispute) openDispute(ctx, charge, dispute.reason, dispute.inquiry);
}

function declineError(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  failure: Failure,
  chargeId: string | null,
) {
  return cardError({
    code: failure.code,
    ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
    message: failure.message,
    ...(chargeId ? { charge: chargeId } : {}),
    payment_intent: renderPaymentIntent(ctx, pi),
    payment_method: JSON.parse(JSON.stringify(pm)),
    payment_method_type: pm.type,
  });
}

/**
 * One confirmation attempt. Declines leave the PaymentIntent in `requires_payment_method` and
 * throw Stripe's 402 with the intent embedded, so the failed attempt is visible and saved.
 */
function attempt(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  resolved: ResolvedPaymentMethod,
  authenticated: boolean,
  mandateChoice: MandateChoice,
): void {
  const { pm, state } = resolved;
  const piState = stateOf(ctx, pi);
  const b = state.instrument.behaviour;
  registerPaymentMethod(ctx, resolved);
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  const needsAuth =
    !authenticated &&
    (b.auth === 'always' || (b.auth === 'on_setup' && !(piState.offSession && state.setUp)));
  if (needsAuth) {
    if (piState.offSession || piState.errorOnRequiresAction) {
      const charge = createCharge(ctx, pi, pm, { status: 'failed', failure: AUTH_FAILURE });
      fail(ctx, pi, pm, AUTH_FAILURE, charge);
      throw declineError(ctx, pi, pm, AUTH_FAILURE, charge.id);
    }
    pi.status = 'requires_action';
    const url = `${ctx.emu.baseUrl}/_emulator/authenticate/${pi.id}`;
    pi.next_action = piState.returnUrl
      ? { type: 'redirect_to_url', redirect_to_url: { return_url: piState.returnUrl, url } }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
    ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.requires_action', pi);
    return;
  }
  if (pm.type === 'boleto' || pm.type === 'customer_balance') {
    // The customer acts after the payment is confirmed (pays the voucher, makes the transfer): an
    // off-session confirmation that forbids requires_action is refused as Stripe refuses it.
    if (piState.errorOnRequiresAction) {
      fail(ctx, pi, pm, ACTION_REQUIRED, null);
      throw declineError(ctx, pi, pm, ACTION_REQUIRED, null);
    }
    if (pm.type === 'boleto') openVoucher(ctx, pi, pm);
    else awaitTransfer(ctx, pi, pm);
    return;
  }
  const mandate = needsMandate(pm) ? mandateFor(ctx, pi, pm, mandateChoice) : null;
  const failure = b.decline ?? (pm.type === 'card' ? b.chargeFailure : undefined);
  if (failure) {
    const charge = createCharge(ctx, pi, pm, { status: 'failed', failure });
    fail(ctx, pi, pm, failure, charge);
    throw declineError(ctx, pi, pm, failure, charge.id);
  }
  if (mandate) {
    const charge = createCharge(ctx, pi, pm, { status: 'pending' }, mandate.id);
    spendMandate(ctx, mandate);
    pi.status = 'processing';
    pi.latest_charge = charge.id;
    ctx.emu.events.emit(ctx.account, ctx.source, 'charge.pending', charge);
    ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.processing', pi);
    if (b.settle !== 'never') {
      const emu = ctx.emu;
      const account = ctx.account;
      const delay = b.settle === 'delayed' ? DELAYED_SETTLE_SECONDS : SETTLE_SECONDS;
      emu.clock.schedule(delay, () => settle(systemCtx(emu, account), pi.id, charge.id), {
        kind: 'settle_payment',
        account: account.id,
        paymentIntent: pi.id,
        charge: charge.id,
      });
    }
    return;
  }
  succeed(ctx, pi, createCharge(ctx, pi, pm, { status: 'succeeded' }), pm);
}

/**
 * The mandate a bank debit goes out under: the one named, a new one from the acceptance given, or
 * the method's active mandate. Without any, Stripe refuses the debit and leaves the intent waiting
 * in `requires_confirmation` with the method on it.
 */
function mandateFor(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  choice: MandateChoice,
): Stripe.Mandate {
  if (choice.mandate) return choice.mandate;
  if (choice.acceptance) {
    const reusable = pi.setup_future_usage === 'off_session';
    return createMandate(
      ctx,
      pm,
      choice.acceptance,
      reusable ? undefined : { amount: pi.amount, currency: pi.currency },
    );
  }
  const active = activeMandate(ctx.account, pm.id);
  if (active) return active;
  pi.status = 'requires_confirmation';
  pi.next_action = null;
  throw mandateRequired(renderPaymentIntent(ctx, pi));
}

/** A processing bank debit reaching its outcome on the emulator clock. */
export function settle(ctx: Ctx, piId: string, chargeId: string): void {
  const pi = ctx.account.paymentIntents.get(piId);
  const charge = ctx.account.charges.get(chargeId);
  if (!pi || !charge || pi.status !== 'processing') return;
  const pm = ctx.account.paymentMethods.get(charge.payment_method ?? '');
  const behaviour = ctx.account.paymentMethodState.get(charge.payment_method ?? '')?.instrument.behaviour;
  if (!pm || !behaviour) return;
  const session = checkoutSessionOf(ctx, pi.id);
  if (behaviour.chargeFailure) {
    settleCharge(charge, { status: 'failed', failure: behaviour.chargeFailure });
    fail(ctx, pi, pm, behaviour.chargeFailure, charge);
    if (session)
      ctx.emu.events.emit(ctx.account, ctx.source, 'checkout.session.async_payment_failed', session);
    return;
  }
  settleCharge(charge, { status: 'succeeded' });
  succeed(ctx, pi, charge, pm);
  if (session) {
    session.payment_status = 'paid';
    ctx.emu.events.emit(ctx.account, ctx.source, 'checkout.session.async_payment_succeeded', session);
  }
}

/** The payment-mode Checkout Session whose page made this intent, if any. */
function checkoutSessionOf(ctx: Ctx, piId: string): Stripe.Checkout.Session | undefined {
  for (const session of ctx.account.checkoutSessions.values()) {
    if (session.mode === 'payment' && idOf(session.payment_intent) === piId) return session;
  }
  return undefined;
}

export function assertConfirmable(pi: Stripe.PaymentIntent): void {
  if (!['requires_payment_method', 'requires_confirmation'].includes(pi.status))
    throw invalidRequest(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
      { code: 'payment_intent_unexpected_state' },
    );
}

export function confirmWith(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  resolved: ResolvedPaymentMethod | null,
  mandateChoice: MandateChoice = {},
): void {
  assertConfirmable(pi);
  if (!resolved)
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with cus_x, specify a payment method attached to this customer along with the customer ID.",
      { code: 'payment_intent_unexpected_state', param: 'payment_method' },
    );
  attempt(ctx, pi, resolved, false, mandateChoice);
}

/**
 * The customer pays on a hosted Checkout page: an on-session confirmation whose 3D Secure
 * challenge the page itself stands in for (decision 0101). A decline throws Stripe's 402 and
 * leaves the intent in `requires_payment_method`, ready for another try on the same page.
 */
export function confirmOnPage(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  resolved: ResolvedPaymentMethod,
  acceptance: Acceptance,
): void {
  assertConfirmable(pi);
  const state = stateOf(ctx, pi);
  state.offSession = false;
  state.errorOnRequiresAction = false;
  attempt(ctx, pi, resolved, true, { acceptance });
}

/** Completes or fails the 3D Secure challenge of a PaymentIntent in `requires_action`. */
export function authenticatePaymentIntent(ctx: Ctx, pi: Stripe.PaymentIntent, success: boolean): void {
  if (pi.status !== 'requires_action')
    throw invalidRequest(`PaymentIntent ${pi.id} does not require action (status: ${pi.status}).`, {
      code: 'payment_intent_unexpected_state',
    });
  const pmId = idOf(pi.payment_method) as string;
  const resolved = resolvePaymentMethod(ctx, pmId, 'payment_method');
  if (success) {
    // Only cards ask for authentication, and card payments need no mandate.
    attempt(ctx, pi, resolved, true, {});
    return;
  }
  pi.status = 'requires_payment_method';
  pi.next_action = null;
  pi.payment_method = null;
  pi.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
    message:
      'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    payment_method: JSON.parse(JSON.stringify(resolved.pm)),
    payment_method_type: resolved.pm.type,
  };
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.payment_failed', pi);
}
