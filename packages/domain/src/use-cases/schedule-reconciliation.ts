import { ok } from '../result.js';
import type { UseCase } from './context.js';
import type { ScheduleReconciliationInput } from './contracts.js';
import { inTx } from './support.js';

/** The periodic sweep: one `payment.reconcile` job per attempt left in flight too long. */
export const scheduleReconciliation: UseCase<
  ScheduleReconciliationInput,
  { readonly scheduled: number }
> = async ({ ctx, input }) =>
  inTx(ctx, null, async (tx) => {
    const stale = await tx.payments.listStale({
      statuses: ['pending', 'requires_action', 'processing'],
      updatedBefore: new Date(ctx.clock.now().getTime() - input.olderThanMs),
      limit: input.limit,
    });
    for (const payment of stale) {
      await tx.jobs.enqueue({
        name: 'payment.reconcile',
        payload: { organizationId: payment.organizationId, paymentId: payment.id },
        dedupeKey: `payment.reconcile:${payment.id}`,
      });
    }
    return ok({ scheduled: stale.length });
  });
