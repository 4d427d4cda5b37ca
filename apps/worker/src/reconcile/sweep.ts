import type { UseCaseContext } from '@payrail/domain';
import { settleResult } from '../jobs/outcome.js';
import type { JobHandler } from '../jobs/types.js';
import type { WorkerUseCases } from '../use-cases.js';

export interface SweepSettings {
  /** Payments pending or processing without an update for this long are re-read from Stripe. */
  readonly olderThanMs: number;
  /** Payments queued per run; the next run takes the rest. */
  readonly batchSize: number;
}

/**
 * The scheduled sweep: it only enqueues one `payment.reconcile` job per stale payment (deduped per
 * payment), so the Stripe reads spread over the workers and a slow account blocks nobody.
 */
export function reconciliationSweepHandler(
  ctx: UseCaseContext,
  useCases: Pick<WorkerUseCases, 'scheduleReconciliation'>,
  settings: SweepSettings,
): JobHandler<unknown> {
  return async () =>
    settleResult(
      await useCases.scheduleReconciliation({
        ctx,
        input: { olderThanMs: settings.olderThanMs, limit: settings.batchSize },
      }),
    );
}
