import type { Logger, Secret } from '@payrail/domain';
import type { Metrics } from '@payrail/persistence';

/** The connection a webhook URL names, with its decrypted signing secret. */
export interface WebhookConnection {
  readonly connectionId: string;
  readonly signingSecret: Secret;
}

export interface WebhookConnectionSource {
  /** Null when the organization has no connection with this code. */
  find(organizationId: string, code: string): Promise<WebhookConnection | null>;
}

/** Matches `@payrail/persistence`'s `InboxStore.insert`. */
export interface InboxEventInput {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly stripeEventId: string;
  readonly type: string;
  /** Stripe's `created`. */
  readonly createdAt: Date;
  /** The verified body exactly as received. */
  readonly payload: string;
}

/** Stores the event and its processing job in one transaction; a known event id changes nothing. */
export interface InboxWriter {
  insert(event: InboxEventInput): Promise<{ readonly status: 'stored' | 'duplicate' }>;
}

export interface WebhooksDeps {
  readonly connections: WebhookConnectionSource;
  readonly inbox: InboxWriter;
  /** How long a decrypted signing secret stays in memory; default 30 s. */
  readonly secretTtlMs?: number;
  /** Age after which a signature is a replay; Stripe's verifiers use 300 s. */
  readonly toleranceSeconds?: number;
  /** Largest body accepted (413 above); `MAX_STRIPE_EVENT_BYTES` (512 KiB) by default. */
  readonly maxBodyBytes?: number;
  /**
   * Event types stored; others, though genuine, are acknowledged and dropped.
   * `HANDLED_STRIPE_EVENTS` (what every connection registers) by default.
   */
  readonly eventTypes?: readonly string[];
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** `/ready` answers 200 while this is true (the database answers); absent: always ready. */
  readonly ready?: () => Promise<boolean>;
  /** Counts requests and received events, serves `/metrics`. */
  readonly metrics?: Metrics;
}
