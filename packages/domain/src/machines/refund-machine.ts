import type { ProviderFailure } from '../model/common.js';
import type { Refund } from '../model/credit-note.js';
import type { RefundOutcome } from '../ports/payment-gateway.js';
import { assertNever, err, ok, type Result } from '../result.js';

export interface RefundTransition {
  readonly refund: Refund;
  readonly changed: boolean;
}

/** pending → succeeded | failed; both are final, and a repeated outcome changes nothing. */
export function applyRefundOutcome(
  refund: Refund,
  outcome: RefundOutcome,
  at: Date,
): Result<RefundTransition, 'provider_refund_mismatch'> {
  if (refund.providerRefundId !== null && refund.providerRefundId !== outcome.providerRefundId) {
    return err('provider_refund_mismatch');
  }
  if (refund.state.status !== 'pending') return ok({ refund, changed: false });
  const withId = { ...refund, providerRefundId: outcome.providerRefundId };
  switch (outcome.status) {
    case 'pending':
      return ok({ refund: withId, changed: refund.providerRefundId === null });
    case 'succeeded':
      return ok({ refund: { ...withId, state: { status: 'succeeded', refundedAt: at } }, changed: true });
    case 'failed':
      return ok({
        refund: {
          ...withId,
          state: {
            status: 'failed',
            failedAt: at,
            failure: { code: outcome.code, message: outcome.message },
          },
        },
        changed: true,
      });
    default:
      return assertNever(outcome, 'refund outcome');
  }
}

/** A refund refused before reaching the provider (e.g. the dispute was lost meanwhile). */
export function failRefund(refund: Refund, failure: ProviderFailure, at: Date): RefundTransition {
  if (refund.state.status !== 'pending') return { refund, changed: false };
  return { refund: { ...refund, state: { status: 'failed', failedAt: at, failure } }, changed: true };
}
