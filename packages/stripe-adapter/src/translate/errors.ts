import type { GatewayError, GatewayErrorDetails } from '@payrail/domain';
import Stripe from 'stripe';

/**
 * The one place where a Stripe failure becomes a domain `GatewayError`. Anything that is not a
 * Stripe error is a defect and is rethrown by the caller, never disguised as a provider answer.
 */
export function isStripeError(error: unknown): error is Stripe.errors.StripeError {
  return error instanceof Stripe.errors.StripeError;
}

/** Codes meaning the charge could only go on with the customer present (3DS), never a plain decline. */
const NEEDS_THE_CUSTOMER: ReadonlySet<string> = new Set([
  'authentication_required',
  'requires_action_not_handled',
]);

export function translateStripeError(error: Stripe.errors.StripeError): GatewayError {
  const message = error.message || 'Stripe returned an error without a message';
  const code = error.code ?? null;
  const status = error.statusCode ?? null;

  if (error instanceof Stripe.errors.StripeConnectionError) {
    return { code: 'retryable', reason: 'network', message };
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return { code: 'invalid_credentials', message };
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    return { code: 'retryable', reason: code === 'lock_timeout' ? 'lock_timeout' : 'rate_limited', message };
  }
  // Decided before the class checks: Stripe reports these codes under several error classes.
  if (code === 'amount_too_small') return { code: 'amount_too_small', message, details: details(error) };
  if (code !== null && NEEDS_THE_CUSTOMER.has(code)) {
    return {
      code: 'requires_action',
      providerCode: code,
      message,
      providerPaymentId: paymentIntentIdOf(error),
      details: details(error),
    };
  }
  if (isMandateRefusal(error)) {
    return {
      code: 'mandate_required',
      message,
      providerPaymentId: paymentIntentIdOf(error),
      details: details(error),
    };
  }
  if (error instanceof Stripe.errors.StripeCardError) {
    return {
      code: 'card_declined',
      providerCode: code ?? 'card_declined',
      message,
      providerPaymentId: paymentIntentIdOf(error),
      details: details(error),
    };
  }
  if (status === 409) {
    // Another request with the same idempotency key is still running: retrying later replays it.
    return { code: 'retryable', reason: 'lock_timeout', message };
  }
  if (status !== null && status >= 500) return { code: 'retryable', reason: 'server_error', message };
  if (status === 404 || code === 'resource_missing') {
    return { code: 'not_found', message, details: details(error) };
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return { code: 'invalid_request', providerCode: 'idempotency_error', message, details: details(error) };
  }
  if (status === null) {
    // No HTTP answer at all (e.g. unreadable response body): the outcome is unknown, so retry.
    return { code: 'retryable', reason: 'network', message };
  }
  return { code: 'invalid_request', providerCode: code, message, details: details(error) };
}

/**
 * Stripe's refusal of a bank debit without an active mandate: a 400 without a code ("This
 * PaymentIntent requires a mandate, but no existing mandate was found. …") that carries the
 * intent, left in `requires_confirmation`.
 */
function isMandateRefusal(error: Stripe.errors.StripeError): boolean {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || error.statusCode !== 400) return false;
  const pi = (error.raw as { payment_intent?: { status?: unknown } }).payment_intent;
  return pi?.status === 'requires_confirmation' && /\bmandate\b/i.test(error.message);
}

/** What Lago echoes as `error_details`: a plain copy of Stripe's error body, no SDK objects. */
function details(error: Stripe.errors.StripeError): GatewayErrorDetails {
  const raw = error.raw as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const key of ['type', 'code', 'decline_code', 'message', 'param', 'doc_url', 'charge'] as const) {
    if (raw[key] !== undefined) body[key] = raw[key];
  }
  const paymentIntentId = paymentIntentIdOf(error);
  if (paymentIntentId) body.payment_intent = paymentIntentId;
  return {
    requestId: error.requestId ?? null,
    httpStatus: error.statusCode ?? null,
    httpBody: { error: body },
  };
}

/** A declined confirmation still creates the PaymentIntent; Stripe embeds it in the error. */
function paymentIntentIdOf(error: Stripe.errors.StripeError): string | null {
  const pi = (error.raw as { payment_intent?: unknown }).payment_intent;
  if (typeof pi === 'string') return pi;
  if (pi && typeof pi === 'object' && typeof (pi as { id?: unknown }).id === 'string') {
    return (pi as { id: string }).id;
  }
  return null;
}

/** Stripe's own hint on whether repeating the request can help (`Stripe-Should-Retry`). */
export function stripeShouldRetry(error: Stripe.errors.StripeError): boolean | null {
  const headers = error.headers as Record<string, string | undefined> | undefined;
  const value = headers?.['stripe-should-retry'];
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}
