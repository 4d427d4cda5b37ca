import {
  type BankTransferRequest,
  type CurrencyCode,
  err,
  type GatewayResult,
  ok,
  type PaymentIntentOutcome,
  type PaymentMethodType,
} from '@payrail/domain';
import type Stripe from 'stripe';
import { callStripe } from '../call.js';
import { customerBalanceOptions } from '../translate/bank-transfer.js';
import { methodsForCurrency } from '../translate/method-currency.js';
import { toPaymentIntentOutcome } from '../translate/payment-intent.js';
import type { JsonRecord } from '../translate/records.js';
import type { OperationContext } from './context.js';

export interface CreatePaymentIntentInput {
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  readonly providerCustomerId: string;
  /** Null only for a bank transfer (`bankTransfer`), which is charged without a saved method. */
  readonly providerPaymentMethodId: string | null;
  readonly allowedMethods: readonly PaymentMethodType[];
  readonly bankTransfer?: BankTransferRequest | null;
  readonly methodType?: PaymentMethodType | 'other' | null;
  readonly description: string;
  readonly returnUrl: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly idempotencyKey: string;
}

/** Where Stripe sends the customer back after 3D Secure when the connection names no page (as Lago). */
export const DEFAULT_RETURN_URL = 'https://stripe.com/';

/**
 * Creates and confirms the charge off-session in one call. Every retry (SDK network retries, our
 * 429 retries, the job's later retries) sends the same idempotency key, so Stripe replays the
 * first result instead of charging twice.
 *
 * A card whose bank wants the customer (3D Secure) is refused off-session with
 * `authentication_required`. As Lago does on its retry, the same PaymentIntent is then confirmed
 * again on-session (no `off_session`, no `error_on_requires_action`), with its own idempotency key
 * derived from the attempt's, so it stops in `requires_action` with a `redirect_to_url` next action
 * the customer can follow; the outcome then arrives through Stripe's webhooks.
 */
export async function createPaymentIntent(
  ctx: OperationContext,
  input: CreatePaymentIntentInput,
): GatewayResult<PaymentIntentOutcome> {
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
      message: `None of the payment methods (${input.allowedMethods.join(', ')}) can charge ${input.currency}.`,
    });
  }
  if (input.bankTransfer) return createBankTransfer(ctx, input, input.bankTransfer);
  if (input.providerPaymentMethodId === null) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: 'An off-session payment needs a saved payment method.',
    });
  }
  const paymentMethodId = input.providerPaymentMethodId;
  const params: Stripe.PaymentIntentCreateParams = {
    amount: input.amountCents,
    currency: input.currency.toLowerCase(),
    customer: input.providerCustomerId,
    payment_method: paymentMethodId,
    allowed_payment_method_types: methods,
    confirm: true,
    off_session: true,
    error_on_requires_action: true,
    description: input.description,
    metadata: { ...input.metadata },
  };
  // A boleto charge always stops in requires_action: the voucher the customer then pays.
  if (input.methodType === 'boleto') delete params.error_on_requires_action;
  if (input.returnUrl !== null) params.return_url = input.returnUrl;
  const created = await callStripe(ctx.retry, () =>
    ctx.stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey }),
  );
  if (created.ok) return ok(toPaymentIntentOutcome(created.value as unknown as JsonRecord));
  const refused = created.error;
  if (
    refused.code !== 'requires_action' ||
    refused.providerCode !== 'authentication_required' ||
    refused.providerPaymentId === null
  ) {
    return created;
  }
  const intentId = refused.providerPaymentId;
  const confirmed = await callStripe(ctx.retry, () =>
    ctx.stripe.paymentIntents.confirm(
      intentId,
      { payment_method: paymentMethodId, return_url: input.returnUrl ?? DEFAULT_RETURN_URL },
      { idempotencyKey: `${input.idempotencyKey}-on-session` },
    ),
  );
  return confirmed.ok ? ok(toPaymentIntentOutcome(confirmed.value as unknown as JsonRecord)) : confirmed;
}

/**
 * A bank transfer into the customer's Stripe cash balance, as Lago sends it: no saved method
 * (`payment_method_data[type]=customer_balance`), confirmed on-session since the customer must act.
 * Stripe answers `requires_action` with `display_bank_transfer_instructions` (account details,
 * reference, amount remaining); the payment succeeds when the transfer has fully funded it.
 */
async function createBankTransfer(
  ctx: OperationContext,
  input: CreatePaymentIntentInput,
  transfer: BankTransferRequest,
): GatewayResult<PaymentIntentOutcome> {
  const params: Stripe.PaymentIntentCreateParams = {
    amount: input.amountCents,
    currency: input.currency.toLowerCase(),
    customer: input.providerCustomerId,
    allowed_payment_method_types: ['customer_balance'],
    payment_method_data: { type: 'customer_balance' },
    payment_method_options: { customer_balance: customerBalanceOptions(transfer) },
    confirm: true,
    description: input.description,
    metadata: { ...input.metadata },
  };
  const created = await callStripe(ctx.retry, () =>
    ctx.stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey }),
  );
  return created.ok ? ok(toPaymentIntentOutcome(created.value as unknown as JsonRecord)) : created;
}

export async function retrievePaymentIntent(
  ctx: OperationContext,
  input: { readonly providerPaymentId: string },
): GatewayResult<PaymentIntentOutcome> {
  const pi = await callStripe(ctx.retry, () => ctx.stripe.paymentIntents.retrieve(input.providerPaymentId));
  return pi.ok ? ok(toPaymentIntentOutcome(pi.value as unknown as JsonRecord)) : pi;
}

/** Pages read at most: 1,000 intents of one customer since the attempt was recorded. */
const FIND_MAX_PAGES = 10;

/**
 * Lists the customer's intents newest first (a consistent read, unlike Stripe's search index) until
 * one carries our `lago_payment_id` or they are older than `createdAfter`.
 */
export async function findPaymentIntent(
  ctx: OperationContext,
  input: { readonly providerCustomerId: string; readonly lagoPaymentId: string; readonly createdAfter: Date },
): GatewayResult<PaymentIntentOutcome | null> {
  const since = Math.floor(input.createdAfter.getTime() / 1000);
  let startingAfter: string | undefined;
  for (let page = 0; page < FIND_MAX_PAGES; page++) {
    const listed = await callStripe(ctx.retry, () =>
      ctx.stripe.paymentIntents.list({
        customer: input.providerCustomerId,
        limit: 100,
        ...(startingAfter === undefined ? {} : { starting_after: startingAfter }),
      }),
    );
    if (!listed.ok) return listed;
    for (const pi of listed.value.data) {
      if (pi.metadata?.lago_payment_id === input.lagoPaymentId) {
        return ok(toPaymentIntentOutcome(pi as unknown as JsonRecord));
      }
    }
    const last = listed.value.data.at(-1);
    if (!listed.value.has_more || last === undefined || last.created < since) return ok(null);
    startingAfter = last.id;
  }
  return ok(null);
}
