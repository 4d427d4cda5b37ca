import type { Payment } from '../../model/payment.js';
import type { GatewayError, PaymentGateway } from '../../ports/payment-gateway.js';
import { err, ok, type Result } from '../../result.js';
import type { ProviderAnswer } from './settle-payment.js';

/**
 * Stripe keeps idempotency keys for at least 24 hours; within that window an unanswered attempt is
 * resumed with its own key. After it, resending could charge twice, so the attempt is looked up at
 * the provider by the metadata on its intent instead, and settled by what is found there.
 */
export const IDEMPOTENCY_WINDOW_MS = 23 * 60 * 60 * 1000;

/** Provider clocks and ours may disagree a little; intents are searched from a bit before the row. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Answers that leave the attempt's outcome unknown rather than failed: the key was used before
 * with other parameters, or something the request names is gone. Either way an intent may exist
 * and hold the customer's money, so it is looked up instead of failing the payment.
 */
export function leavesOutcomeUnknown(error: GatewayError): boolean {
  return (
    error.code === 'not_found' ||
    (error.code === 'invalid_request' && error.providerCode === 'idempotency_error')
  );
}

/**
 * What the provider did with an attempt whose answer we do not have: its intent (by id when we
 * know it, otherwise by the `lago_payment_id` metadata on the customer's intents), or, when it
 * holds none, `fallback` (the refusal that sent us looking). A failed look-up is returned as an
 * error and changes nothing: the caller retries later rather than guess.
 */
export async function lookUpAttempt(
  gateway: PaymentGateway,
  payment: Payment,
  fallback: GatewayError,
): Promise<Result<ProviderAnswer, GatewayError>> {
  const found =
    payment.providerPaymentId !== null
      ? await gateway.retrievePaymentIntent({ providerPaymentId: payment.providerPaymentId })
      : await gateway.findPaymentIntent({
          providerCustomerId: payment.providerCustomerId,
          lagoPaymentId: payment.id,
          createdAfter: new Date(payment.createdAt.getTime() - CLOCK_SKEW_MS),
        });
  if (!found.ok) {
    return found.error.code === 'not_found' ? ok({ kind: 'refused', error: fallback }) : err(found.error);
  }
  return ok(found.value ? { kind: 'outcome', outcome: found.value } : { kind: 'refused', error: fallback });
}
