import type { Secret } from '@payrail/domain';
import type { DeliveryFailure, LagoWebhookPayload } from '@payrail/lago-wire';

/** An outbox row: one domain event to announce, as the transaction that caused it stored it. */
export interface StoredWebhookEvent {
  readonly id: string;
  readonly organizationId: string;
  /** Lago's `webhook_type`, e.g. `invoice.payment_status_updated`. */
  readonly webhookType: string;
  readonly objectType: string;
  /** The event's data (ids and event-specific facts); the object is rendered at delivery. */
  readonly payload: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly signatureAlgo: 'jwt' | 'hmac';
  /** Null (or `*`) means every event type. */
  readonly eventTypes: readonly string[] | null;
}

export interface DeliveryAttempt {
  readonly eventId: string;
  readonly endpointId: string;
  /** 1-based, per event and endpoint. */
  readonly attempt: number;
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  /**
   * Why no status came back, as the merchant sees it. Nothing else of the attempt is kept: no
   * reply body, no socket error (decision 0801).
   */
  readonly error: DeliveryFailure | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
}

export interface EndpointHistory {
  /** Every attempt ever made (numbers the next one). */
  readonly attempts: number;
  /** Attempts and success since the redelivery the merchant asked for (all of them without one). */
  readonly attemptsSince: number;
  readonly succeeded: boolean;
}

/** What one delivery run reads before it sends. */
export interface DeliveryContext {
  readonly event: StoredWebhookEvent;
  /** The organization's endpoints, whatever their event types. */
  readonly endpoints: readonly WebhookEndpoint[];
  /** Attempts so far per endpoint id, for this event; `since` starts a redelivery's count. */
  readonly history: ReadonlyMap<string, EndpointHistory>;
  /** What the run already knows of the organization, for the renderer (null: it reads it). */
  readonly organization: RenderedOrganization | null;
  /** The organization's HMAC key, decrypted (only asked for when an endpoint signs with it). */
  hmacKey(): Secret;
}

export interface WebhookStore {
  /** The event with everything a run needs, read together; null when the event is gone. */
  load(eventId: string, since?: Date): Promise<DeliveryContext | null>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
}

/** Attempts counted per endpoint; `since` (a redelivery) starts the count and the success anew. */
export function endpointHistory(
  attempts: readonly {
    readonly endpointId: string;
    readonly succeeded: boolean;
    readonly attemptedAt: Date;
  }[],
  since?: Date,
): Map<string, EndpointHistory> {
  const map = new Map<string, EndpointHistory>();
  for (const a of attempts) {
    const h = map.get(a.endpointId) ?? { attempts: 0, attemptsSince: 0, succeeded: false };
    const counts = since === undefined || a.attemptedAt.getTime() >= since.getTime();
    map.set(a.endpointId, {
      attempts: h.attempts + 1,
      attemptsSince: h.attemptsSince + (counts ? 1 : 0),
      succeeded: h.succeeded || (counts && a.succeeded),
    });
  }
  return map;
}

/** The organization as rendering needs it. */
export interface RenderedOrganization {
  readonly documentNumberPrefix: string;
  /** Its Stripe connections' codes by id, when known (a connection missing here is read). */
  readonly connectionCodes?: ReadonlyMap<string, string>;
}

/**
 * Builds Lago's envelope `{webhook_type, object_type, organization_id, <object_type>: …}`; given
 * the organization (read with the delivery's context), it does not read it again.
 */
export type PayloadRenderer = (
  event: StoredWebhookEvent,
  organization?: RenderedOrganization | null,
) => Promise<LagoWebhookPayload>;
