/**
 * Retry policy of one queue. pg-boss waits about `retryDelay * 2^attempt` seconds (with jitter,
 * capped at `retryDelayMax`) between attempts and marks the job `failed` after `retryLimit` retries.
 */
export interface QueueDefinition {
  readonly name: string;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly retryDelayMaxSeconds: number;
  /** An attempt still active after this long is presumed dead (crashed worker) and retried. */
  readonly expireInSeconds: number;
  /**
   * A running job's worker refreshes it every half of this; a job not refreshed for this long
   * (its worker was killed or lost the database) goes back to the queue long before it expires.
   */
  readonly heartbeatSeconds?: number;
  /**
   * How a dedupe key limits live jobs. `exclusive` (the default): one queued, retrying or running
   * job per key, and a second enqueue is a no-op. `stately`: one queued job besides the running
   * one, for requests that must see what the running job could not (a payment method saved while
   * a collection runs); jobs of one key still never run at the same time.
   */
  readonly policy?: 'exclusive' | 'stately';
}

/** Cron queue of the reconciliation sweep (`JobQueue.schedule(RECONCILE_SWEEP_QUEUE, ...)`). */
export const RECONCILE_SWEEP_QUEUE = 'payment.reconcile_sweep';

const base = {
  retryLimit: 10,
  retryDelaySeconds: 2,
  retryDelayMaxSeconds: 600,
  expireInSeconds: 300,
  heartbeatSeconds: 20,
};

/**
 * Queues created at boot. `send()` to a queue that does not exist throws, so every job name the
 * domain enqueues must be listed here (or passed in `openDatabase({ queues })`).
 */
export const DEFAULT_QUEUES: readonly QueueDefinition[] = [
  // Stripe calls: quick first retries for blips, then back off to ten minutes. A collection or a
  // contact update asked for while one runs must still happen after it: `stately`.
  { ...base, name: 'payment.collect', policy: 'stately' },
  { ...base, name: 'payment_request.collect' },
  { ...base, name: 'payment.refund' },
  { ...base, name: 'stripe.create_customer' },
  { ...base, name: 'stripe.update_customer', policy: 'stately' },
  { ...base, name: 'stripe.checkout_link' },
  { ...base, name: 'payment.reconcile' },
  // A connection's dispute read; the sweep queues the next one an interval later in any case.
  { ...base, name: 'stripe.check_disputes' },
  // Inbound Stripe events: the row is safe in the inbox, so retries can be patient.
  { ...base, name: 'stripe.process_event', retryLimit: 12, retryDelaySeconds: 1, retryDelayMaxSeconds: 900 },
  // Outgoing webhooks: receivers go down for hours; 14 retries spread over about half a day.
  {
    ...base,
    name: 'webhook.deliver',
    retryLimit: 14,
    retryDelaySeconds: 10,
    retryDelayMaxSeconds: 3600,
    expireInSeconds: 120,
  },
  // The cron sweep that finds payments stuck at the provider; a missed run is caught by the next.
  { ...base, name: RECONCILE_SWEEP_QUEUE, retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 900 },
];

export function mergeQueues(
  defaults: readonly QueueDefinition[],
  extra: readonly QueueDefinition[] = [],
): QueueDefinition[] {
  const byName = new Map(defaults.map((q) => [q.name, q]));
  for (const q of extra) byName.set(q.name, q);
  return [...byName.values()];
}
