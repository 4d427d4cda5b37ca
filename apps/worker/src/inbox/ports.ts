import type { InboundStripeCommand } from '@payrail/domain';

/** One stored Stripe event, as the webhooks app wrote it. */
export interface InboxEvent {
  readonly id: string;
  readonly organizationId: string;
  readonly connectionId: string;
  readonly stripeEventId: string;
  readonly type: string;
  readonly stripeCreatedAt: Date;
  readonly payload: Record<string, unknown>;
  readonly processedAt: Date | null;
  readonly outcome: string | null;
}

export interface InboxStore {
  find(inboxId: string): Promise<InboxEvent | null>;
  /** Records that processing finished, with what it did (`payment_succeeded`, `ignored:…`, `parked:…`). */
  finish(inboxId: string, outcome: string, at: Date): Promise<void>;
}

/** The anti-corruption layer: a raw Stripe event becomes a domain command (or `ignored`). */
export type EventTranslator = (
  event: Record<string, unknown>,
  source: { readonly organizationId: string; readonly connectionId: string },
) => InboundStripeCommand;
