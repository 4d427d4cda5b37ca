import type { RefundOutcome } from '@payrail/domain';
import { idOf, type JsonRecord, num, str } from './records.js';

/**
 * Stripe refund status → domain outcome. `requires_action` (the customer must give bank details)
 * is still on its way; `canceled` means the money was never returned, so it is a failure.
 */
export function toRefundOutcome(refund: JsonRecord): RefundOutcome {
  const base = {
    providerRefundId: str(refund, 'id') ?? '',
    providerPaymentId: idOf(refund, 'payment_intent') ?? '',
    amountCents: num(refund, 'amount') ?? 0,
  };
  const status = str(refund, 'status');
  switch (status) {
    case 'succeeded':
      return { ...base, status: 'succeeded' };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        code: str(refund, 'failure_reason') ?? 'unknown',
        message: `The refund failed (${str(refund, 'failure_reason') ?? 'no reason given'}).`,
      };
    case 'canceled':
      return { ...base, status: 'failed', code: 'canceled', message: 'The refund was canceled.' };
    default:
      return { ...base, status: 'pending' };
  }
}
