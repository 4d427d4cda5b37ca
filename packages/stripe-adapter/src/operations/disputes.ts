import { type GatewayResult, type LostDispute, ok } from '@payrail/domain';
import { callStripe } from '../call.js';
import { idOf, type JsonRecord, str } from '../translate/records.js';
import type { OperationContext } from './context.js';

/**
 * The disputes closed as lost since `closedSince`, read from the account's `charge.dispute.closed`
 * events (newest first, paged to the end). Not `disputes.list`: its `created` filter is when a
 * dispute was opened, and one opened months ago may close today; the closing event carries the
 * moment it closed. Stripe keeps events 30 days, far longer than the sweep's interval. Disputes on
 * charges without a payment intent are not Payrail's and are left out.
 */
export async function listLostDisputes(
  ctx: OperationContext,
  input: { readonly closedSince: Date },
): GatewayResult<readonly LostDispute[]> {
  const since = Math.floor(input.closedSince.getTime() / 1000);
  const lost = new Map<string, LostDispute>();
  let startingAfter: string | undefined;
  for (;;) {
    const listed = await callStripe(ctx.retry, () =>
      ctx.stripe.events.list({
        type: 'charge.dispute.closed',
        created: { gte: since },
        limit: 100,
        ...(startingAfter === undefined ? {} : { starting_after: startingAfter }),
      }),
    );
    if (!listed.ok) return listed;
    for (const event of listed.value.data) {
      const dispute = event.data.object as unknown as JsonRecord;
      const id = str(dispute, 'id');
      const providerPaymentId = idOf(dispute, 'payment_intent');
      if (str(dispute, 'status') !== 'lost' || !id || !providerPaymentId || lost.has(id)) continue;
      lost.set(id, {
        providerDisputeId: id,
        providerPaymentId,
        reason: str(dispute, 'reason'),
        closedAt: new Date(event.created * 1000),
      });
    }
    const last = listed.value.data.at(-1);
    if (!listed.value.has_more || last === undefined) break;
    startingAfter = last.id;
  }
  return ok([...lost.values()].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime()));
}
