import type { JobName, Logger, StripeCommand, UseCaseContext } from '@payrail/domain';
import type { WebhookSigningKey } from '@payrail/lago-wire';
import type { Metrics } from '@payrail/persistence';
import type { EventTranslator, InboxEvent, InboxStore } from './inbox/ports.js';
import { processInboxEventHandler } from './inbox/process-event.js';
import type { InboxRedrive } from './inbox/redrive.js';
import { RetryLaterError } from './jobs/outcome.js';
import type { JobHandler, WorkerJob } from './jobs/types.js';
import { useCaseJobHandlers } from './jobs/use-case-jobs.js';
import { deliverWebhookHandler } from './outgoing/deliver.js';
import type { PayloadRenderer, WebhookStore } from './outgoing/ports.js';
import { reconciliationSweepHandler } from './reconcile/sweep.js';
import type { WorkerSettings } from './settings.js';
import type { WorkerUseCases } from './use-cases.js';

/** What the worker needs from the job queue (persistence's `JobQueue` fits). */
export interface WorkerQueue {
  work<P>(
    name: string,
    handler: (job: WorkerJob<P>) => Promise<void>,
    options: { readonly concurrency?: number; readonly groupConcurrency?: number },
  ): Promise<unknown>;
  schedule(name: string, cron: string, payload?: Record<string, unknown>): Promise<void>;
  /** Stops fetching, lets jobs in hand finish up to the timeout, releases the rest. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface WorkerDeps {
  readonly queue: WorkerQueue;
  readonly ctx: UseCaseContext;
  readonly useCases: WorkerUseCases;
  readonly inbox: InboxStore;
  readonly inboxRedrive: InboxRedrive;
  readonly translate: EventTranslator;
  /** Whether an inbox event names one of our objects by our id (see `adapters/names-our-object`). */
  readonly namesOurObject: (row: InboxEvent, command: StripeCommand) => boolean;
  readonly webhooks: {
    readonly store: WebhookStore;
    readonly render: PayloadRenderer;
    readonly signingKey: WebhookSigningKey;
  };
  readonly settings: WorkerSettings;
  readonly logger?: Logger;
  /** Counts jobs by queue and outcome. */
  readonly metrics?: Metrics;
}

export interface RunningWorker {
  /** Graceful: stops taking jobs, finishes those in hand or releases them to run again later. */
  stop(): Promise<void>;
}

/** Every job handler, by queue name. Exposed so a launcher or a test can run one job directly. */
export function createJobHandlers(deps: Omit<WorkerDeps, 'queue'>): Record<string, JobHandler<never>> {
  const { ctx, useCases, settings, logger } = deps;
  const catalog: { readonly [K in JobName]: JobHandler<never> } = {
    ...useCaseJobHandlers(ctx, useCases),
    'stripe.process_event': processInboxEventHandler({
      ctx,
      useCases,
      inbox: deps.inbox,
      translate: deps.translate,
      namesOurObject: deps.namesOurObject,
      notFoundAttempts: settings.notFoundAttempts,
      ...(logger === undefined ? {} : { logger }),
    }),
    'webhook.deliver': deliverWebhookHandler({
      ...deps.webhooks,
      clock: ctx.clock,
      settings: {
        maxAttempts: settings.webhookAttempts,
        timeoutMs: settings.webhookTimeoutMs,
        issuer: settings.webhookIssuer,
        allowPrivateTargets: settings.webhookPrivateTargets,
      },
      ...(logger === undefined ? {} : { logger }),
    }),
  };
  return {
    ...catalog,
    [settings.reconcile.queue]: reconciliationSweepHandler(
      ctx,
      useCases,
      deps.inboxRedrive,
      settings.reconcile,
      settings,
    ),
  };
}

/** Starts one worker loop per queue and the reconciliation schedule. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const handlers = createJobHandlers(deps);
  for (const [name, handler] of Object.entries(handlers)) {
    // Deliveries wait on merchants' servers: more of them in flight, and each organization limited
    // to its share, so one organization's hanging endpoints never hold every slot.
    const options =
      name === 'webhook.deliver'
        ? {
            concurrency: deps.settings.webhookConcurrency,
            groupConcurrency: deps.settings.webhookOrganizationConcurrency,
          }
        : { concurrency: deps.settings.concurrency };
    await deps.queue.work(
      name,
      runLogged(name, handler as JobHandler<unknown>, deps.logger, deps.metrics),
      options,
    );
  }
  await deps.queue.schedule(deps.settings.reconcile.queue, deps.settings.reconcile.cron);
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= deps.queue.stop(deps.settings.stopTimeoutMs);
      return stopping;
    },
  };
}

/** Outcomes become log lines; a throw goes back to the queue, which retries with backoff. */
function runLogged(
  name: string,
  handler: JobHandler<unknown>,
  logger: Logger | undefined,
  metrics: Metrics | undefined,
) {
  return async (job: WorkerJob<unknown>): Promise<void> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const outcome = await handler(job);
      metrics?.observeJob(name, outcome.status === 'parked' ? 'parked' : 'completed', seconds());
      if (outcome.status === 'parked')
        logger?.warn('job parked', { job: name, id: job.id, reason: outcome.reason });
    } catch (error) {
      metrics?.observeJob(name, error instanceof RetryLaterError ? 'retry' : 'failed', seconds());
      if (error instanceof RetryLaterError) {
        logger?.info('job will be retried', {
          job: name,
          id: job.id,
          attempt: job.attempt,
          reason: error.message,
        });
      } else {
        logger?.error('job failed', {
          job: name,
          id: job.id,
          attempt: job.attempt,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      throw error;
    }
  };
}
