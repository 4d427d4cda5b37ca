import type { GatewayError, InboundStripeCommand, Result } from '@payrail/domain';

/** One stored Stripe event, as the webhooks app wrote it (persistence's `InboxStore` fits). */
export interface InboxEvent {
  readonly id: string;
  readonly organizationId: string;
  readonly connectionId: string;
  readonly stripeEventId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly processedAt: Date | null;
  readonly outcome: string | null;
}

export interface InboxStore {
  find(inboxId: string): Promise<InboxEvent | null>;
  /** Records that processing finished, with what it did (`payment_succeeded`, `ignored:…`, `parked:…`). */
  markProcessed(inboxId: string, outcome: string): Promise<void>;
}

/**
 * The anti-corruption layer: a stored Stripe event becomes a domain command (or `ignored`). It may
 * read from Stripe (a payment method's details), so it can fail like any gateway call.
 */
export type EventTranslator = (
  row: InboxEvent,
) => Promise<
  Result<InboundStripeCommand, GatewayError | { readonly code: 'malformed'; readonly message: string }>
>;
