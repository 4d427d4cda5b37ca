import type { Clock, UseCaseContext } from '@payrail/domain';
import type { InboxRedrive } from '../inbox/redrive.js';
import { settleResult } from '../jobs/outcome.js';
import type { JobHandler } from '../jobs/types.js';
import type { WorkerSettings } from '../settings.js';
import type { WorkerUseCases } from '../use-cases.js';

export interface SweepSettings {
  /** Payments pending or processing without an update for this long are re-read from Stripe. */
  readonly olderThanMs: number;
  /** Longest wait between two re-reads of one payment (each check doubles the wait up to it). */
  readonly maxIntervalMs: number;
  /** Payments (and inbox rows) queued per run; the next run takes the rest. */
  readonly batchSize: number;
  /** Inbox rows still unprocessed this long after they arrived are queued again. */
  readonly inboxRedriveAfterMs: number;
  /** Stripe-calling jobs that used up their retries this long ago are queued again. */
  readonly exhaustedJobsRetryAfterMs: number;
}

/**
 * The scheduled sweep: it only enqueues, one `payment.reconcile` job per stale payment (deduped
 * per payment), one `stripe.process_event` per forgotten inbox row, each Stripe-calling job that
 * used up its retries, one `stripe.check_disputes` per connection due for a dispute read, and one
 * `payment.collect` per customer due for a look at a method saved without its webhook, so the
 * Stripe reads spread over the workers and a slow account blocks nobody.
 */
export function reconciliationSweepHandler(
  ctx: UseCaseContext,
  useCases: Pick<
    WorkerUseCases,
    'scheduleReconciliation' | 'scheduleDisputeChecks' | 'scheduleWaitingCollections'
  >,
  redrive: InboxRedrive,
  settings: SweepSettings,
  checks: Pick<WorkerSettings, 'disputeChecks' | 'waitingCollections'>,
): JobHandler<unknown> {
  return async () => {
    await redrive.requeueStale({
      receivedBefore: ago(ctx.clock, settings.inboxRedriveAfterMs),
      limit: settings.batchSize,
    });
    await redrive.requeueExhaustedJobs({
      failedBefore: ago(ctx.clock, settings.exhaustedJobsRetryAfterMs),
      limit: settings.batchSize,
    });
    const reconciled = await useCases.scheduleReconciliation({
      ctx,
      input: {
        olderThanMs: settings.olderThanMs,
        maxIntervalMs: settings.maxIntervalMs,
        limit: settings.batchSize,
      },
    });
    const disputes = await useCases.scheduleDisputeChecks({
      ctx,
      input: { everyMs: checks.disputeChecks.everyMs, limit: settings.batchSize },
    });
    const waiting = await useCases.scheduleWaitingCollections({
      ctx,
      input: { ...checks.waitingCollections, limit: settings.batchSize },
    });
    return settleResult([reconciled, disputes, waiting].find((r) => !r.ok) ?? reconciled);
  };
}

function ago(clock: Clock, ms: number): Date {
  return new Date(clock.now().getTime() - ms);
}
