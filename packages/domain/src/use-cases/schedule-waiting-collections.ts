import { ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { UseCase } from './steps/use-case-context.js';

export interface ScheduleWaitingCollectionsInput {
  /** A customer's first look at the provider, after its newest invoice started waiting. */
  readonly firstCheckAfterMs: number;
  /** Longest wait between two looks (default 24 hours). */
  readonly maxIntervalMs?: number;
  /** Customers queued per run. */
  readonly limit: number;
  /** Customers of one organization per run (default a quarter of `limit`, at least 1). */
  readonly perOrganization?: number;
}

const DEFAULT_MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * Part of the periodic sweep, for a `setup_intent.succeeded` that never arrived, and for a
 * collection whose job was lost (an invoice pending with no reason and nothing in flight): such a
 * customer gets `payment.collect` for the oldest of those invoices now and then,
 * which adopts a method saved at the provider if there is one (and then queues the others). Each
 * customer has its own next look with backoff, so one who never saves a card costs a few provider
 * reads a day, not two a minute.
 */
export const scheduleWaitingCollections: UseCase<
  ScheduleWaitingCollectionsInput,
  { readonly scheduled: number }
> = async ({ ctx, input }) =>
  inTx(ctx, null, async (tx) => {
    const due = await tx.invoices.claimForPaymentMethodCheck({
      now: ctx.clock.now(),
      firstCheckAfterMs: input.firstCheckAfterMs,
      maxIntervalMs: input.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS,
      limit: input.limit,
      perOrganization: input.perOrganization ?? Math.max(1, Math.ceil(input.limit / 4)),
    });
    for (const waiting of due) {
      await tx.jobs.enqueue({
        name: 'payment.collect',
        payload: { organizationId: waiting.organizationId, invoiceId: waiting.invoiceId },
        dedupeKey: `payment.collect:${waiting.invoiceId}`,
      });
    }
    return ok({ scheduled: due.length });
  });
