import { ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { UseCase } from './steps/use-case-context.js';

export interface ScheduleDisputeChecksInput {
  /** Each connection's disputes are read at most this often. */
  readonly everyMs: number;
  /** Connections queued per run. */
  readonly limit: number;
}

/**
 * Part of the periodic sweep: one `stripe.check_disputes` job per connection whose next dispute
 * check is due (deduped per connection), so the provider reads spread over the workers and a slow
 * account delays nobody else's.
 */
export const scheduleDisputeChecks: UseCase<
  ScheduleDisputeChecksInput,
  { readonly scheduled: number }
> = async ({ ctx, input }) =>
  inTx(ctx, null, async (tx) => {
    const due = await tx.stripeConnections.claimForDisputeCheck({
      now: ctx.clock.now(),
      everyMs: input.everyMs,
      limit: input.limit,
    });
    for (const connection of due) {
      await tx.jobs.enqueue({
        name: 'stripe.check_disputes',
        payload: { organizationId: connection.organizationId, connectionId: connection.id },
        dedupeKey: `stripe.check_disputes:${connection.id}`,
      });
    }
    return ok({ scheduled: due.length });
  });
