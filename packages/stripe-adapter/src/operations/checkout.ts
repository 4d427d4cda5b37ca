import {
  type BankTransferRequest,
  type CurrencyCode,
  err,
  type GatewayResult,
  ok,
  type PaymentCheckoutState,
  type PaymentMethodType,
} from '@payrail/domain';
import type Stripe from 'stripe';
import { callStripe } from '../call.js';
import { customerBalanceOptions } from '../translate/bank-transfer.js';
import { impliedCurrency, methodsForCurrency, needsCurrency } from '../translate/method-currency.js';
import { toPaymentIntentOutcome } from '../translate/payment-intent.js';
import type { JsonRecord } from '../translate/records.js';
import type { OperationContext } from './context.js';

/** Methods a setup-mode Checkout Session can save for later off-session charges (not crypto, not bank transfers). */
const SETUP_CAPABLE: ReadonlySet<PaymentMethodType> = new Set([
  'card',
  'sepa_debit',
  'us_bank_account',
  'bacs_debit',
  'link',
  'boleto',
]);

/** Stripe's own default lifetime of a Checkout Session, and the longest `expires_at` it accepts. */
const STRIPE_DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A "24 hours from now" computed a moment before the call, or on a clock a little off Stripe's. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

export async function createSetupCheckoutSession(
  ctx: OperationContext,
  input: {
    readonly providerCustomerId: string;
    readonly methods: readonly PaymentMethodType[];
    readonly successUrl: string | null;
    readonly currency: CurrencyCode | null;
    readonly expiresAt: Date;
  },
): GatewayResult<{ readonly url: string; readonly providerSessionId: string; readonly expiresAt: Date }> {
  const methods = [...new Set(input.methods)].filter((m) => SETUP_CAPABLE.has(m));
  if (methods.length === 0) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: 'None of the payment methods can be saved through a setup Checkout Session.',
    });
  }
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'setup',
    customer: input.providerCustomerId,
    allowed_payment_method_types: methods as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
  };
  // Asking for the full day is leaving `expires_at` out: Stripe then expires the session exactly
  // 24 h after creation by its own clock, where an explicit value could cross its limit.
  if (input.expiresAt.getTime() < Date.now() + STRIPE_DEFAULT_LIFETIME_MS - CLOCK_SLACK_MS) {
    params.expires_at = Math.floor(input.expiresAt.getTime() / 1000);
  }
  // Bank debits are single-currency, and setup mode picks eligible methods by currency.
  if (needsCurrency(methods)) {
    const currency = input.currency ?? impliedCurrency(methods);
    if (currency) params.currency = currency.toLowerCase();
  }
  if (input.successUrl !== null) params.success_url = input.successUrl;
  const created = await callStripe(ctx.retry, () => ctx.stripe.checkout.sessions.create(params));
  if (!created.ok) return created;
  const session = created.value;
  if (!session.url) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `Stripe created Checkout Session ${session.id} without a hosted URL.`,
    });
  }
  return ok({
    url: session.url,
    providerSessionId: session.id,
    expiresAt: new Date(session.expires_at * 1000),
  });
}

export interface CreatePaymentCheckoutInput {
  readonly providerCustomerId: string;
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  readonly lineItemName: string;
  readonly allowedMethods: readonly PaymentMethodType[];
  readonly bankTransfer?: BankTransferRequest | null;
  readonly description: string;
  readonly successUrl: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly idempotencyKey: string;
}

/**
 * A payment-mode Checkout Session for one invoice: one line item for the amount due, the methods
 * that can pay its currency, Stripe's default 24-hour lifetime (no `expires_at`, so a creation sent
 * again under its key is the same request), and our metadata on the session and on the
 * PaymentIntent Stripe makes when the customer pays, so both name our attempt.
 */
export async function createPaymentCheckoutSession(
  ctx: OperationContext,
  input: CreatePaymentCheckoutInput,
): GatewayResult<PaymentCheckoutState> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `A payment needs a positive integer amount of minor units, got ${input.amountCents}.`,
    });
  }
  const methods = methodsForCurrency(input.allowedMethods, input.currency);
  if (methods.length === 0) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `None of the payment methods (${input.allowedMethods.join(', ')}) can pay ${input.currency}.`,
    });
  }
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'payment',
    customer: input.providerCustomerId,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: input.currency.toLowerCase(),
          unit_amount: input.amountCents,
          product_data: { name: input.lineItemName },
        },
      },
    ],
    allowed_payment_method_types: methods as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
    metadata: { ...input.metadata },
    payment_intent_data: { description: input.description, metadata: { ...input.metadata } },
  };
  if (methods.includes('customer_balance')) {
    if (!input.bankTransfer) {
      return err({
        code: 'invalid_request',
        providerCode: null,
        message: 'A bank-transfer (customer_balance) payment page needs its bank transfer type.',
      });
    }
    params.payment_method_options = { customer_balance: customerBalanceOptions(input.bankTransfer) };
  }
  if (input.successUrl !== null) params.success_url = input.successUrl;
  const created = await callStripe(ctx.retry, () =>
    ctx.stripe.checkout.sessions.create(params, { idempotencyKey: input.idempotencyKey }),
  );
  if (!created.ok) return created;
  if (!created.value.url) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `Stripe created Checkout Session ${created.value.id} without a hosted URL.`,
    });
  }
  return readPaymentSession(ctx, created.value);
}

export async function retrievePaymentCheckoutSession(
  ctx: OperationContext,
  input: { readonly providerSessionId: string },
): GatewayResult<PaymentCheckoutState> {
  const read = await callStripe(ctx.retry, () =>
    ctx.stripe.checkout.sessions.retrieve(input.providerSessionId, { expand: ['payment_intent'] }),
  );
  return read.ok ? readPaymentSession(ctx, read.value) : read;
}

/**
 * Expires an open session. One that completed or expired meanwhile is not an error: Stripe refuses
 * to expire it, and it is read again and returned as it is.
 */
export async function expirePaymentCheckoutSession(
  ctx: OperationContext,
  input: { readonly providerSessionId: string },
): GatewayResult<PaymentCheckoutState> {
  const expired = await callStripe(ctx.retry, () =>
    ctx.stripe.checkout.sessions.expire(input.providerSessionId, { expand: ['payment_intent'] }),
  );
  if (expired.ok) return readPaymentSession(ctx, expired.value);
  if (
    expired.error.code === 'invalid_request' &&
    expired.error.providerCode === 'checkout_session_unexpected_state'
  ) {
    return retrievePaymentCheckoutSession(ctx, input);
  }
  return expired;
}

/** Session → domain state, with its PaymentIntent's outcome (read when Stripe sent only its id). */
async function readPaymentSession(
  ctx: OperationContext,
  session: Stripe.Checkout.Session,
): GatewayResult<PaymentCheckoutState> {
  if (session.mode !== 'payment') {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `Checkout Session ${session.id} is a ${session.mode}-mode session, not a payment page.`,
    });
  }
  let intent: JsonRecord | null = null;
  const ref = session.payment_intent;
  if (typeof ref === 'string') {
    const read = await callStripe(ctx.retry, () => ctx.stripe.paymentIntents.retrieve(ref));
    if (!read.ok) return read;
    intent = read.value as unknown as JsonRecord;
  } else if (ref) {
    intent = ref as unknown as JsonRecord;
  }
  return ok({
    providerSessionId: session.id,
    status: sessionStatus(session.status),
    url: session.url,
    expiresAt: new Date(session.expires_at * 1000),
    payment: intent ? toPaymentIntentOutcome(intent) : null,
  });
}

/** A status this adapter does not know yet counts as open: the page is read again later. */
function sessionStatus(status: Stripe.Checkout.Session['status']): PaymentCheckoutState['status'] {
  if (status === 'complete') return 'complete';
  return status === 'expired' ? 'expired' : 'open';
}
