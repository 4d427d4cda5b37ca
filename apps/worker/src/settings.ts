import type { PrivateTargetKind } from '@payrail/lago-wire';

export interface WorkerSettings {
  /** Jobs of one queue run at once in this process. */
  readonly concurrency: number;
  /** Runs allowed for a Stripe event whose object is not visible yet, before it is parked. */
  readonly notFoundAttempts: number;
  readonly webhookAttempts: number;
  readonly webhookTimeoutMs: number;
  /**
   * Delivery fetch loops in this process (each claims up to ten jobs at a time), and deliveries of
   * one organization in flight in this process (fewer than the loops, so some are always free).
   */
  readonly webhookConcurrency: number;
  readonly webhookOrganizationConcurrency: number;
  /**
   * Private address classes outgoing webhooks may reach (`WEBHOOK_ALLOW_PRIVATE_TARGETS`, decision
   * 0800): none by default; the embedded start and tests with receivers on loopback open `loopback`.
   */
  readonly webhookPrivateTargets: readonly PrivateTargetKind[];
  /** `iss` of outgoing webhook JWTs: the API's public URL. */
  readonly webhookIssuer: string;
  readonly reconcile: {
    /** Queue the sweep is scheduled on (one job per occurrence across every worker). */
    readonly queue: string;
    /** pg-boss cron, UTC; at most once a minute. */
    readonly cron: string;
    readonly olderThanMs: number;
    /** Longest wait between two re-reads of one payment (the wait doubles per check up to it). */
    readonly maxIntervalMs: number;
    readonly batchSize: number;
    /** Inbox rows still unprocessed this long after arrival are queued again (Lago: 2 h). */
    readonly inboxRedriveAfterMs: number;
    /** Stripe-calling jobs that used up their retries this long ago are queued again. */
    readonly exhaustedJobsRetryAfterMs: number;
  };
  /** Lost disputes whose webhook never arrived: each connection's disputes are read this often. */
  readonly disputeChecks: {
    readonly everyMs: number;
  };
  /**
   * Payment methods saved at Stripe whose `setup_intent.succeeded` never arrived: a customer's
   * invoices waiting for a method are collected again this long after the newest started waiting,
   * then at doubling intervals up to `maxIntervalMs`.
   */
  readonly waitingCollections: {
    readonly firstCheckAfterMs: number;
    readonly maxIntervalMs: number;
  };
  /** How long `stop()` waits for jobs in hand before handing them back to the queue. */
  readonly stopTimeoutMs: number;
}

export const DEFAULT_WORKER_SETTINGS: Omit<WorkerSettings, 'webhookIssuer'> = {
  concurrency: 2,
  notFoundAttempts: 8,
  // Every run the webhook.deliver queue allows (1 + 14 retries, about six hours): decision 0604.
  webhookAttempts: 15,
  webhookTimeoutMs: 30_000,
  webhookConcurrency: 8,
  webhookOrganizationConcurrency: 5,
  webhookPrivateTargets: [],
  reconcile: {
    queue: 'payment.reconcile_sweep',
    cron: '* * * * *',
    olderThanMs: 15 * 60_000,
    maxIntervalMs: 6 * 60 * 60_000,
    batchSize: 100,
    inboxRedriveAfterMs: 2 * 60 * 60_000,
    exhaustedJobsRetryAfterMs: 30 * 60_000,
  },
  disputeChecks: { everyMs: 60 * 60_000 },
  waitingCollections: { firstCheckAfterMs: 15 * 60_000, maxIntervalMs: 24 * 60 * 60_000 },
  stopTimeoutMs: 10_000,
};
