import type { ProviderFailure } from '../model/common.js';
import type {
  CheckoutSessionRef,
  FailedPayment,
  InFlightPayment,
  Payment,
  PaymentStatus,
  PendingPayment,
  ProcessingPayment,
  RequiresActionPayment,
  SucceededPayment,
} from '../model/payment.js';
import type { PaymentIntentOutcome } from '../ports/payment-gateway.js';
import { assertNever, err, ok, type Result } from '../result.js';

/**
 * A payment only moves forward along this order; succeeded is final, and failed is final but for
 * the provider saying the money moved after all. A late or repeated outcome that would not move
 * it forward changes nothing.
 */
const RANK: { readonly [S in PaymentStatus]: number } = {
  pending: 0,
  requires_action: 1,
  processing: 2,
  succeeded: 3,
  failed: 3,
};

export function isInFlight(payment: Payment): payment is InFlightPayment {
  return (
    payment.status === 'pending' || payment.status === 'requires_action' || payment.status === 'processing'
  );
}

export function isFinal(payment: Payment): payment is SucceededPayment | FailedPayment {
  return !isInFlight(payment);
}

interface ProviderAnswer {
  readonly providerPaymentId: string;
  readonly providerStatus: string;
  readonly at: Date;
}

export function markRequiresAction(
  payment: PendingPayment,
  answer: ProviderAnswer & { readonly nextAction: Readonly<Record<string, unknown>> },
): RequiresActionPayment {
  return {
    ...payment,
    status: 'requires_action',
    providerPaymentId: answer.providerPaymentId,
    providerStatus: answer.providerStatus,
    nextAction: answer.nextAction,
    updatedAt: answer.at,
  };
}

export function markProcessing(
  payment: PendingPayment | RequiresActionPayment,
  answer: ProviderAnswer,
): ProcessingPayment {
  const { nextAction: _dropped, ...rest } = payment as RequiresActionPayment;
  return {
    ...rest,
    status: 'processing',
    providerPaymentId: answer.providerPaymentId,
    providerStatus: answer.providerStatus,
    updatedAt: answer.at,
  };
}

/** Money moved. From a failed payment only when the provider says so (its record wins over ours). */
export function markSucceeded(
  payment: InFlightPayment | FailedPayment,
  answer: ProviderAnswer,
): SucceededPayment {
  const {
    nextAction: _action,
    failure: _failure,
    failedAt: _failedAt,
    canceled: _canceled,
    belowMinimum: _belowMinimum,
    ...rest
  } = payment as RequiresActionPayment & Omit<FailedPayment, 'status'>;
  return {
    ...rest,
    status: 'succeeded',
    providerPaymentId: answer.providerPaymentId,
    providerStatus: answer.providerStatus,
    succeededAt: answer.at,
    updatedAt: answer.at,
  };
}

export function markFailed(
  payment: InFlightPayment,
  failure: ProviderFailure,
  options: {
    readonly at: Date;
    readonly providerPaymentId?: string | null;
    readonly providerStatus?: string | null;
    readonly canceled?: boolean;
    readonly belowMinimum?: boolean;
  },
): FailedPayment {
  const { nextAction: _dropped, ...rest } = payment as RequiresActionPayment;
  return {
    ...rest,
    status: 'failed',
    providerPaymentId: options.providerPaymentId ?? payment.providerPaymentId,
    providerStatus: options.providerStatus ?? payment.providerStatus,
    failure,
    canceled: options.canceled ?? false,
    belowMinimum: options.belowMinimum ?? false,
    failedAt: options.at,
    updatedAt: options.at,
  };
}

/** The provider created the link attempt's page: its id, URL and expiry are kept on the attempt. */
export function recordCheckoutSession(
  payment: PendingPayment,
  session: CheckoutSessionRef,
  at: Date,
): Result<PaymentTransition, PaymentTransitionError> {
  if (payment.checkout === null) return err('not_a_payment_link');
  const known = payment.checkout.session;
  if (known !== null) {
    return known.providerSessionId === session.providerSessionId
      ? ok({ payment, changed: false })
      : err('provider_payment_mismatch');
  }
  return ok({
    payment: { ...payment, checkout: { ...payment.checkout, session }, updatedAt: at },
    changed: true,
  });
}

export interface PaymentTransition {
  readonly payment: Payment;
  readonly changed: boolean;
}

export type PaymentTransitionError = 'provider_payment_mismatch' | 'not_a_payment_link';

/** Applies what the provider says about the payment intent, only if it moves the payment forward. */
export function applyIntentOutcome(
  payment: Payment,
  outcome: PaymentIntentOutcome,
  at: Date,
): Result<PaymentTransition, PaymentTransitionError> {
  if (payment.providerPaymentId !== null && payment.providerPaymentId !== outcome.providerPaymentId) {
    return err('provider_payment_mismatch');
  }
  const target = targetStatus(outcome);
  const answer = { providerPaymentId: outcome.providerPaymentId, providerStatus: outcome.providerStatus, at };
  if (payment.status === 'failed' && outcome.status === 'succeeded') {
    // The provider holds the customer's money although we recorded a failure (a late confirmation,
    // a lost answer): its record wins, whatever we believed.
    return ok({ payment: markSucceeded(payment, answer), changed: true });
  }
  if (!isInFlight(payment) || RANK[target] <= RANK[payment.status]) return ok({ payment, changed: false });
  // On a payment link the customer is on the provider's page: a decline or a 3D Secure challenge
  // there is part of paying, and the page stays open for another try. The attempt ends when the
  // page is paid or expires (its intent canceled), not at a decline.
  if (
    payment.checkout !== null &&
    payment.status === 'pending' &&
    (outcome.status === 'failed' || outcome.status === 'requires_action')
  ) {
    return ok({ payment, changed: false });
  }
  switch (outcome.status) {
    case 'succeeded':
      return ok({ payment: markSucceeded(payment, answer), changed: true });
    case 'failed':
      return ok({
        payment: markFailed(payment, { code: outcome.code, message: outcome.message }, answer),
        changed: true,
      });
    case 'canceled':
      return ok({
        payment: markFailed(
          payment,
          { code: 'canceled', message: outcome.reason ?? 'The payment was canceled' },
          { ...answer, canceled: true },
        ),
        changed: true,
      });
    case 'processing':
      // Rank guarantees the payment is pending or requires_action here.
      return ok({
        payment: markProcessing(payment as PendingPayment | RequiresActionPayment, answer),
        changed: true,
      });
    case 'requires_action':
      return ok({
        payment: markRequiresAction(payment as PendingPayment, { ...answer, nextAction: outcome.nextAction }),
        changed: true,
      });
    default:
      return assertNever(outcome, 'payment intent outcome');
  }
}

function targetStatus(outcome: PaymentIntentOutcome): PaymentStatus {
  switch (outcome.status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'canceled':
      return 'failed';
    case 'processing':
      return 'processing';
    case 'requires_action':
      return 'requires_action';
    default:
      return assertNever(outcome, 'payment intent outcome');
  }
}
