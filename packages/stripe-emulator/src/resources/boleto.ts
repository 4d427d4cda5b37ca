/**
 * Boleto vouchers: a confirmed boleto payment waits in `requires_action` with
 * `boleto_display_details` (voucher number, hosted page, PDF, expiry) until the customer pays it at
 * a bank or it expires. The test instrument decides which, on the emulator clock: paid three
 * minutes after issue, or never (the intent fails when the voucher expires).
 */
import type Stripe from 'stripe';
import { type Ctx, systemCtx } from '../context.js';
import type { Failure } from '../instruments.js';
import { createCharge } from './charges.js';
import { fail, succeed } from './payment-attempts.js';

/** Stripe's default `payment_method_options.boleto.expires_after_days`. */
export const VOUCHER_DAYS = 3;
export const VOUCHER_PAID_AFTER_SECONDS = 180;

const EXPIRED: Failure = {
  code: 'payment_intent_payment_attempt_expired',
  message: 'The boleto voucher expired before it was paid.',
};

export function openVoucher(ctx: Ctx, pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod): void {
  const behaviour = ctx.account.paymentMethodState.get(pm.id)?.instrument.behaviour;
  const now = ctx.emu.clock.now();
  const expiresAt = now + VOUCHER_DAYS * 24 * 60 * 60;
  pi.payment_method = pm.id;
  pi.status = 'requires_action';
  pi.next_action = {
    type: 'boleto_display_details',
    boleto_display_details: {
      expires_at: expiresAt,
      hosted_voucher_url: `${ctx.emu.baseUrl}/_emulator/boleto/${pi.id}`,
      number: '01010101010101010101010101010101010101010101010',
      pdf: `${ctx.emu.baseUrl}/_emulator/boleto/${pi.id}/pdf`,
    },
  } as Stripe.PaymentIntent.NextAction;
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.requires_action', pi);
  const emu = ctx.emu;
  const account = ctx.account;
  if (behaviour?.voucher === 'paid') {
    emu.clock.schedule(VOUCHER_PAID_AFTER_SECONDS, () => payVoucher(systemCtx(emu, account), pi.id), {
      kind: 'pay_voucher',
      account: account.id,
      paymentIntent: pi.id,
    });
  } else {
    emu.clock.schedule(expiresAt - now, () => expireVoucher(systemCtx(emu, account), pi.id), {
      kind: 'expire_voucher',
      account: account.id,
      paymentIntent: pi.id,
    });
  }
}

function waitingVoucher(
  ctx: Ctx,
  piId: string,
): { pi: Stripe.PaymentIntent; pm: Stripe.PaymentMethod } | null {
  const pi = ctx.account.paymentIntents.get(piId);
  if (pi?.status !== 'requires_action' || pi.next_action?.type !== 'boleto_display_details') return null;
  const pm = ctx.account.paymentMethods.get(typeof pi.payment_method === 'string' ? pi.payment_method : '');
  return pm ? { pi, pm } : null;
}

export function payVoucher(ctx: Ctx, piId: string): void {
  const waiting = waitingVoucher(ctx, piId);
  if (!waiting) return;
  succeed(ctx, waiting.pi, createCharge(ctx, waiting.pi, waiting.pm, { status: 'succeeded' }), waiting.pm);
}

export function expireVoucher(ctx: Ctx, piId: string): void {
  const waiting = waitingVoucher(ctx, piId);
  if (!waiting) return;
  fail(ctx, waiting.pi, waiting.pm, EXPIRED, null);
}
