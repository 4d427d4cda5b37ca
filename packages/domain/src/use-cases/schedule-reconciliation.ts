import { ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { UseCase } from './steps/use-case-context.js';

export interface ScheduleReconciliationInput {
  /** Payments pending/processing/requires_action not updated for this long are re-read first. */
  readonly olderThanMs: number;
  readonly limit: number;
  /** Longest wait between two reads of one payment (default 6 hours). */
  readonly maxIntervalMs?: number;
  /** Payments of one organization per run (default a quarter of `limit`, at least 1). */
  readonly perOrganization?: number;
}

const DEFAULT_MAX_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * The periodic sweep: one `payment.reconcile` job per attempt whose next check is due. Each
 * payment has its own next-check time with backoff, and one organization gets at most a share of
 * a run, so neither days-long bank debits nor one busy merchant starve anyone's crashed attempt.
 */
export const scheduleReconciliation: UseCase<
  ScheduleReconciliationInput,
  { readonly scheduled: number }
> = async ({ ctx, input }) =>
  inTx(ctx, null, async (tx) => {
    const due = await tx.payments.claimForReconciliation({
      now: ctx.clock.now(),
      firstCheckAfterMs: input.olderThanMs,
      maxIntervalMs: input.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS,
      limit: input.limit,
      perOrganization: input.perOrganization ?? Math.max(1, Math.ceil(input.limit / 4)),
    });
    for (const payment of due) {
      await tx.jobs.enqueue({
        name: 'payment.reconcile',
        payload: { organizationId: payment.organizationId, paymentId: payment.id },
        dedupeKey: `payment.reconcile:${payment.id}`,
      });
    }
    return ok({ scheduled: due.length });
  });
