/**
 * Event creation: every state change the product cares about becomes a v1 snapshot event,
 * stored for `GET /v1/events` and handed to webhook delivery.
 */
import type Stripe from 'stripe';
import type { Account } from './account.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';

export const API_VERSION = '2026-10-28.endive';

export type EventObject<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>['data']['object'];

/** Who caused an event: an API request (with its idempotency key) or the emulator itself. */
export interface EventSource {
  requestId: string | null;
  idempotencyKey: string | null;
}

export interface EventSink {
  publish(account: Account, event: Stripe.Event): number;
}

export class EventBus {
  constructor(
    private readonly clock: Clock,
    private readonly sink: EventSink,
  ) {}

  emit<T extends Stripe.Event.Type>(
    account: Account,
    source: EventSource,
    type: T,
    object: EventObject<T>,
    previous?: Record<string, unknown>,
  ): Stripe.Event {
    // A shallow copy is a full snapshot because stored objects never change nested values in
    // place (handlers replace them), which keeps event creation cheap on the hot path.
    const data: Stripe.Event.Data = { object: { ...object } };
    if (previous) data.previous_attributes = { ...previous };
    const base = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.clock.now(),
      data,
      livemode: false,
      pending_webhooks: 0,
      request: { id: source.requestId, idempotency_key: source.idempotencyKey },
      type,
    } satisfies Stripe.EventBase;
    // The SDK's Event union is keyed by `type`; `base` is one of its members by construction.
    const event = base as unknown as Stripe.Event;
    account.events.set(event.id, event);
    event.pending_webhooks = this.sink.publish(account, event);
    return event;
  }
}

/** The old values of the fields that differ between two snapshots (for `*.updated` events). */
export function changedFields(before: object, after: object): Record<string, unknown> | undefined {
  const prev: Record<string, unknown> = {};
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) prev[key] = a[key] ?? null;
  }
  return Object.keys(prev).length ? prev : undefined;
}
