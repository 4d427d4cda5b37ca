import { err, type GatewayResult, ok, type RefundOutcome } from '@payrail/domain';
import type Stripe from 'stripe';
import { callStripe } from '../call.js';
import type { JsonRecord } from '../translate/records.js';
import { toRefundOutcome } from '../translate/refund.js';
import type { OperationContext } from './context.js';

export async function createRefund(
  ctx: OperationContext,
  input: {
    readonly providerPaymentId: string;
    readonly amountCents: number;
    readonly reason: 'duplicate' | 'requested_by_customer' | 'fraudulent' | null;
    readonly metadata: Readonly<Record<string, string>>;
    readonly idempotencyKey: string;
  },
): GatewayResult<RefundOutcome> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `A refund needs a positive integer amount of minor units, got ${input.amountCents}.`,
    });
  }
  const params: Stripe.RefundCreateParams = {
    payment_intent: input.providerPaymentId,
    amount: input.amountCents,
    metadata: { ...input.metadata },
  };
  if (input.reason !== null) params.reason = input.reason;
  const created = await callStripe(ctx.retry, () =>
    ctx.stripe.refunds.create(params, { idempotencyKey: input.idempotencyKey }),
  );
  return created.ok ? ok(toRefundOutcome(created.value as unknown as JsonRecord)) : created;
}
