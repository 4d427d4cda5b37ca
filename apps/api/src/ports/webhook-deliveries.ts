/** One attempt to deliver an outgoing webhook to one endpoint, as the worker recorded it. */
export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  readonly webhookType: string;
  readonly objectType: string;
  readonly endpointId: string;
  readonly webhookUrl: string | null;
  readonly attempt: number;
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  /** As recorded: a failure category, or a socket error's text on rows older than those. */
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
}

export interface WebhookDeliveryFilter {
  readonly endpointId?: string;
  readonly eventId?: string;
  readonly webhookType?: string;
  readonly succeeded?: boolean;
}

/** Newest first; always scoped to one organization. */
export interface WebhookDeliveryLog {
  list(
    organizationId: string,
    filter: WebhookDeliveryFilter,
    page: { readonly page: number; readonly perPage: number },
  ): Promise<{ readonly items: readonly WebhookDeliveryRecord[]; readonly totalCount: number }>;
}

/** Asks for an outgoing event to be sent again (Payrail addition; Lago offers it in its UI). */
export interface WebhookRedelivery {
  /**
   * Queues the event again for every endpoint it matches, each with a fresh allowance of attempts.
   * Null when the organization has no such event.
   */
  redeliver(
    organizationId: string,
    eventId: string,
    requestedAt: Date,
  ): Promise<{ readonly webhookType: string; readonly objectType: string } | null>;
}
