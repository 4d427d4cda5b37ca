import type { JobCatalog, Logger, StripeCommand, UseCaseContext } from '@payrail/domain';
import { type JobOutcome, RetryLaterError } from '../jobs/outcome.js';
import type { JobHandler } from '../jobs/types.js';
import type { WorkerUseCases } from '../use-cases.js';
import type { EventTranslator, InboxEvent, InboxStore } from './ports.js';

export interface ProcessEventDeps {
  readonly ctx: UseCaseContext;
  readonly useCases: Pick<WorkerUseCases, 'handleStripeCommand'>;
  readonly inbox: InboxStore;
  readonly translate: EventTranslator;
  /**
   * True when the event names an object of this organization by our own id (Stripe metadata we
   * wrote). Such an event that finds nothing is early, not foreign: it is retried, then parked.
   */
  readonly namesOurObject: (row: InboxEvent, command: StripeCommand) => boolean;
  /**
   * Runs allowed for an event whose object we created but cannot see yet (our own transaction
   * not committed, or a replica behind). After that the event is parked with the reason.
   */
  readonly notFoundAttempts: number;
  readonly logger?: Logger;
}

/**
 * `stripe.process_event`: one inbox row through the domain. A row already finished is a no-op, so
 * a job that runs twice (crash after commit, redelivery) changes nothing twice; the use case's own
 * state checks keep out-of-order events from moving anything backwards.
 */
export function processInboxEventHandler(
  deps: ProcessEventDeps,
): JobHandler<JobCatalog['stripe.process_event']> {
  return async (job) => {
    const row = await deps.inbox.find(job.payload.inboxId);
    if (row === null) return { status: 'done', detail: 'inbox row gone' };
    if (row.processedAt !== null)
      return { status: 'done', detail: `already processed: ${row.outcome ?? ''}` };

    let translated: Awaited<ReturnType<EventTranslator>>;
    try {
      translated = await deps.translate(row);
    } catch (error) {
      // A body the translator cannot read fails the same way every time: retrying cannot help.
      return park(deps, row.id, `untranslatable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!translated.ok) {
      const failure = translated.error;
      if (failure.code === 'retryable') throw new RetryLaterError(failure.reason, failure.message);
      return park(deps, row.id, `untranslatable: ${failure.code}: ${failure.message}`);
    }

    const command = translated.value.command;
    const result = await deps.useCases.handleStripeCommand({ ctx: deps.ctx, input: translated.value });
    if (result.ok) {
      const outcome = result.value.result;
      if (outcome.startsWith('ignored:unknown_') && deps.namesOurObject(row, command)) {
        return notVisibleYet(
          deps,
          row.id,
          job.attempt,
          outcome.slice('ignored:'.length),
          'named by our metadata',
        );
      }
      await deps.inbox.markProcessed(row.id, outcome);
      return { status: 'done', detail: outcome };
    }
    const error = result.error;
    if (error.retryable) throw new RetryLaterError(error.code, error.message);
    if (error.kind === 'not_found')
      return notVisibleYet(deps, row.id, job.attempt, error.code, error.message);
    return park(deps, row.id, `${error.code}: ${error.message}`);
  };
}

/** Our own transaction may not be committed (or visible) yet: back off, and give up in the end. */
async function notVisibleYet(
  deps: ProcessEventDeps,
  inboxId: string,
  attempt: number,
  code: string,
  message: string,
): Promise<JobOutcome> {
  if (attempt < deps.notFoundAttempts) {
    throw new RetryLaterError(code, `${message}; it may not be committed yet (run ${attempt})`);
  }
  return park(deps, inboxId, `${code} after ${attempt} runs`);
}

/** The inbox's `outcome` column holds 255 characters. */
const OUTCOME_LENGTH = 255;

async function park(deps: ProcessEventDeps, inboxId: string, reason: string): Promise<JobOutcome> {
  await deps.inbox.markProcessed(inboxId, `parked: ${reason}`.slice(0, OUTCOME_LENGTH));
  deps.logger?.warn('stripe event parked', { inboxId, reason });
  return { status: 'parked', reason };
}
