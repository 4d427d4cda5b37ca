/**
 * Mandates: the customer's permission to debit a bank account (SEPA, ACH, Bacs). One is created
 * when a bank debit method is set up with the customer's acceptance (the hosted Checkout page, or
 * `mandate_data` on a confirmation); a debit without an active mandate is refused, as Stripe does.
 */
import type Stripe from 'stripe';
import type { Account } from '../account.js';
import type { Ctx, Reply } from '../context.js';
import { ApiError, invalidRequest, parameterMissing, resourceMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import { allowOnly, expandList, hash, int, oneOf, type Params, requiredStr } from '../params.js';
import { getMandate } from './lookup.js';

export type Acceptance = Stripe.Mandate.CustomerAcceptance;

/** What a confirmation says about the mandate to debit under. */
export interface MandateChoice {
  /** `mandate`: an existing mandate of the payment method. */
  mandate?: Stripe.Mandate;
  /** `mandate_data`: the customer's acceptance, which creates a new mandate. */
  acceptance?: Acceptance;
}

export function needsMandate(pm: Stripe.PaymentMethod): boolean {
  return pm.type === 'sepa_debit' || pm.type === 'us_bank_account' || pm.type === 'bacs_debit';
}

/** Stripe's 400 for a bank debit confirmed without a mandate (stripe-facts, ACH "Resolve disputes"). */
export const MANDATE_REQUIRED_MESSAGE =
  'This PaymentIntent requires a mandate, but no existing mandate was found. Collect mandate acceptance from the customer and try again, providing acceptance data in the mandate_data parameter.';

/**
 * `mandate_data[customer_acceptance]`: `type` online (with the customer's IP address and user
 * agent) or offline, and an optional `accepted_at`. `null` when absent.
 */
export function readMandateData(ctx: Ctx, params: Params): Acceptance | null {
  const data = hash(params, 'mandate_data');
  if (!data) return null;
  allowOnly(data, ['customer_acceptance'], 'mandate_data');
  const prefix = 'mandate_data[customer_acceptance]';
  const ca = hash(data, 'customer_acceptance', 'mandate_data');
  if (!ca) throw parameterMissing(prefix);
  allowOnly(ca, ['type', 'accepted_at', 'online', 'offline'], prefix);
  const type = oneOf(ca, 'type', ['online', 'offline'] as const, prefix);
  if (!type) throw parameterMissing(`${prefix}[type]`);
  const acceptedAt = int(ca, 'accepted_at', prefix) ?? ctx.emu.clock.now();
  if (type === 'offline') {
    if (ca.online !== undefined)
      throw invalidRequest(`${prefix}[online] cannot be used with type offline.`, {
        param: `${prefix}[online]`,
      });
    return { type, accepted_at: acceptedAt, offline: {} };
  }
  const online = hash(ca, 'online', prefix);
  if (!online) throw parameterMissing(`${prefix}[online]`);
  allowOnly(online, ['ip_address', 'user_agent'], `${prefix}[online]`);
  return {
    type,
    accepted_at: acceptedAt,
    online: {
      ip_address: requiredStr(online, 'ip_address', `${prefix}[online]`),
      user_agent: requiredStr(online, 'user_agent', `${prefix}[online]`),
    },
  };
}

function reference(): string {
  return newId('', 16).slice(1).toUpperCase();
}

function methodDetails(
  baseUrl: string,
  pm: Stripe.PaymentMethod,
  id: string,
): Stripe.Mandate.PaymentMethodDetails {
  const url = `${baseUrl}/_emulator/mandates/${id}`;
  switch (pm.type) {
    case 'sepa_debit':
      return { type: 'sepa_debit', sepa_debit: { reference: reference(), url } };
    case 'bacs_debit':
      return {
        type: 'bacs_debit',
        bacs_debit: {
          display_name: null,
          network_status: 'accepted',
          reference: reference(),
          revocation_reason: null,
          service_user_number: null,
          url,
        },
      };
    default:
      return { type: 'us_bank_account', us_bank_account: {} };
  }
}

/**
 * A new active mandate for a bank debit method. Multi-use (a SetupIntent, or a payment set up for
 * future use) unless `singleUse` names the one payment it allows.
 */
export function createMandate(
  ctx: Ctx,
  pm: Stripe.PaymentMethod,
  acceptance: Acceptance,
  singleUse?: { amount: number; currency: string },
): Stripe.Mandate {
  const stored = buildMandate(ctx.emu.baseUrl, newId('mandate'), pm, acceptance, singleUse);
  const id = stored.id;
  ctx.account.mandates.set(id, stored);
  ctx.emu.own(ctx.account, id);
  return stored;
}

/** An active mandate object (not stored). */
export function buildMandate(
  baseUrl: string,
  id: string,
  pm: Stripe.PaymentMethod,
  acceptance: Acceptance,
  singleUse?: { amount: number; currency: string },
): Stripe.Mandate {
  return {
    id,
    object: 'mandate',
    customer_acceptance: acceptance,
    livemode: false,
    ...(singleUse ? { single_use: singleUse } : { multi_use: {} }),
    payment_method: pm.id,
    payment_method_details: methodDetails(baseUrl, pm, id),
    status: 'active',
    type: singleUse ? 'single_use' : 'multi_use',
  } satisfies Stripe.Mandate;
}

/** The newest active mandate of a payment method: what Stripe debits under when none is named. */
export function activeMandate(account: Account, pmId: string): Stripe.Mandate | undefined {
  let found: Stripe.Mandate | undefined;
  for (const m of account.mandates.values())
    if (m.status === 'active' && m.payment_method === pmId) found = m;
  return found;
}

/** `mandate` on a confirmation: an active mandate of the payment method being charged. */
export function namedMandate(ctx: Ctx, id: string, pm: Stripe.PaymentMethod): Stripe.Mandate {
  const mandate = ctx.account.mandates.get(id);
  if (!mandate) throw resourceMissing('mandate', id, 'mandate', 400);
  if (mandate.status !== 'active' || mandate.payment_method !== pm.id)
    throw invalidRequest('The provided mandate is invalid and can not be used for the payment intent.', {
      code: 'payment_intent_mandate_invalid',
      param: 'mandate',
    });
  return mandate;
}

/**
 * Stripe's refusal of a bank debit without an active mandate: a 400 that carries the
 * PaymentIntent, left in `requires_confirmation`. The intent exists by then, so the answer is kept
 * under the idempotency key like any request that ran.
 */
export function mandateRequired(paymentIntent: Stripe.PaymentIntent): ApiError {
  return new ApiError(
    400,
    { type: 'invalid_request_error', message: MANDATE_REQUIRED_MESSAGE, payment_intent: paymentIntent },
    {},
    true,
  );
}

/** A single-use mandate is spent by the payment it allowed. */
export function spendMandate(ctx: Ctx, mandate: Stripe.Mandate): void {
  if (mandate.type !== 'single_use' || mandate.status !== 'active') return;
  mandate.status = 'inactive';
  ctx.emu.events.emit(ctx.account, ctx.source, 'mandate.updated', mandate, { status: 'active' });
}

export function retrieveMandate(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: expand(ctx.account, getMandate(ctx, id), expandList(ctx.params)) };
}
