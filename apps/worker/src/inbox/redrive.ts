/**
 * Finds inbox rows still unprocessed long after they arrived (their job used up its retries, or
 * was lost) and queues them again, as Lago's clock job does every 15 minutes for rows pending or
 * processing for more than two hours. A row whose job is still alive is skipped by the queue's
 * dedupe key.
 */
export interface InboxRedrive {
  requeueStale(query: { readonly receivedBefore: Date; readonly limit: number }): Promise<number>;
  /**
   * Jobs that call Stripe and used up their retries (a refund, a customer creation, a checkout
   * link, a collection during an outage longer than their backoff) are queued again by the sweep,
   * so nothing Payrail waits on Stripe for is given up for good.
   */
  requeueExhaustedJobs(query: { readonly failedBefore: Date; readonly limit: number }): Promise<number>;
}
