/**
 * Refunds of succeeded charges. Card refunds succeed at once, except the `pendingRefund`
 * (pending, then succeeded) and `refundFail` (succeeded, then failed) instruments; bank debit
 * refunds stay pending until they settle. Later changes happen on the emulator clock.
 */
import type Stripe from 'stripe';
import type { Account } from '../account.js';
import { type Ctx, type Reply, systemCtx } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import { formatMinimum } from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, expandList, int, metadata, oneOf, str } from '../params.js';
import { getCharge, getPaymentIntent, getRefund, idOf } from './lookup.js';
import { SETTLE_SECONDS } from './payment-attempts.js';

function chargeToRefund(ctx: Ctx): Stripe.Charge {
  const chargeId = str(ctx.params, 'charge');
  const piId = str(ctx.params, 'payment_intent');
  if (chargeId && piId)
    throw invalidRequest('You may only specify one of these parameters: charge, payment_intent.', {
      param: 'charge',
    });
  if (chargeId) return getCharge(ctx, chargeId, 'charge');
  if (!piId) throw parameterMissing('payment_intent');
  const pi = getPaymentIntent(ctx, piId, 'payment_intent');
  const latest = idOf(pi.latest_charge);
  if (pi.status !== 'succeeded' || !latest)
    throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
      code: 'charge_not_refundable',
      param: 'payment_intent',
    });
  return getCharge(ctx, latest, 'payment_intent');
}

function openDisputeOn(account: Account, chargeId: string): Stripe.Dispute | undefined {
  for (const d of account.disputes.values())
    if (
      d.charge === chargeId &&
      !d.is_charge_refundable &&
      !['won', 'lost', 'warning_closed'].includes(d.status)
    )
      return d;
  return undefined;
}

export function createRefund(ctx: Ctx): Reply {
  const p = ctx.params;
  allowOnly(p, ['charge', 'payment_intent', 'amount', 'reason', 'metadata', 'instructions_email']);
  const charge = chargeToRefund(ctx);
  const amount = int(p, 'amount');
  const reason = oneOf(p, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null;
  const meta = metadata(p) ?? {};
  if (charge.status !== 'succeeded')
    throw invalidRequest(
      `Charge ${charge.id} has not succeeded (status: ${charge.status}) and cannot be refunded.`,
      {
        code: 'charge_not_refundable',
      },
    );
  if (charge.refunded || charge.amount_refunded >= charge.amount)
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  if (openDisputeOn(ctx.account, charge.id))
    throw invalidRequest(
      `Charge ${charge.id} has been charged back; refunds are not possible while the dispute is open.`,
      {
        code: 'charge_disputed',
      },
    );
  const remaining = charge.amount - charge.amount_refunded;
  const refundAmount = amount ?? remaining;
  if (refundAmount < 1)
    throw invalidRequest(`Refund amount must be at least ${formatMinimum(charge.currency, 1)}.`, {
      code: 'amount_too_small',
      param: 'amount',
    });
  if (refundAmount > remaining)
    throw invalidRequest(
      `Refund amount (${refundAmount}) is greater than unrefunded amount on charge (${remaining})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  const pmState = ctx.account.paymentMethodState.get(charge.payment_method ?? '');
  const behaviour = pmState?.instrument.behaviour.refund;
  const bank = charge.payment_method_details?.type !== 'card';
  const pending = behaviour === 'pending' || bank;
  const refund = {
    id: newId('re'),
    object: 'refund',
    amount: refundAmount,
    balance_transaction: pending ? null : newId('txn'),
    charge: charge.id,
    created: ctx.emu.clock.now(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    metadata: meta,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: pending ? 'pending' : 'succeeded',
    transfer_reversal: null,
  } satisfies Stripe.Refund;
  const stored: Stripe.Refund = refund;
  if (pending) stored.pending_reason = 'processing';
  ctx.account.refunds.set(stored.id, stored);
  ctx.emu.own(ctx.account, stored.id);
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += refundAmount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  ctx.emu.events.emit(ctx.account, ctx.source, 'refund.created', stored);
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.refunded', charge, previous);
  if (pending || behaviour === 'fail') {
    const emu = ctx.emu;
    const account = ctx.account;
    const fails = behaviour === 'fail';
    emu.clock.schedule(SETTLE_SECONDS, () => finishRefund(systemCtx(emu, account), stored.id, fails), {
      kind: 'finish_refund',
      account: account.id,
      refund: stored.id,
      fails,
    });
  }
  return { body: renderRefund(ctx, stored) };
}

export function finishRefund(ctx: Ctx, id: string, fails: boolean): void {
  const refund = ctx.account.refunds.get(id);
  if (!refund || (refund.status !== 'pending' && refund.status !== 'succeeded')) return;
  const previous = { status: refund.status };
  if (fails) {
    refund.status = 'failed';
    refund.failure_reason = 'expired_or_canceled_card';
    refund.failure_balance_transaction = newId('txn');
    const charge = ctx.account.charges.get(idOf(refund.charge) ?? '');
    if (charge) {
      charge.amount_refunded -= refund.amount;
      charge.refunded = charge.amount_refunded >= charge.amount;
    }
    ctx.emu.events.emit(ctx.account, ctx.source, 'refund.failed', refund, previous);
  } else {
    refund.status = 'succeeded';
    delete refund.pending_reason;
    refund.balance_transaction = newId('txn');
  }
  ctx.emu.events.emit(ctx.account, ctx.source, 'refund.updated', refund, previous);
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.refund.updated', refund, previous);
}

export function renderRefund(ctx: Ctx, refund: Stripe.Refund): Stripe.Refund {
  return expand(ctx.account, refund, expandList(ctx.params));
}

export function retrieveRefund(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: renderRefund(ctx, getRefund(ctx, id)) };
}

export function updateRefund(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['metadata']);
  const refund = getRefund(ctx, id);
  const meta = metadata(ctx.params, refund.metadata ?? {});
  if (meta !== undefined) {
    const previous = { metadata: refund.metadata };
    refund.metadata = meta;
    ctx.emu.events.emit(ctx.account, ctx.source, 'refund.updated', refund, previous);
  }
  return { body: renderRefund(ctx, refund) };
}

export function cancelRefund(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  const refund = getRefund(ctx, id);
  throw invalidRequest(
    `Refund ${refund.id} cannot be canceled: only refunds with status requires_action can be canceled (status: ${refund.status}).`,
    { code: 'refund_not_cancelable' },
  );
}

export function listRefunds(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'charge', 'payment_intent']);
  const charge = str(ctx.params, 'charge');
  const pi = str(ctx.params, 'payment_intent');
  let items = newestFirst(ctx.account.refunds.values());
  if (charge) items = items.filter((r) => idOf(r.charge) === charge);
  if (pi) items = items.filter((r) => idOf(r.payment_intent) === pi);
  return { body: expand(ctx.account, paginate(ctx.params, items, '/v1/refunds'), expandList(ctx.params)) };
}
