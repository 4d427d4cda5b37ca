import { Secret } from '@payrail/domain';
import {
  type DeliveryAttempt,
  type DeliveryContext,
  endpointHistory,
  type StoredWebhookEvent,
  type WebhookEndpoint,
  type WebhookStore,
} from '../src/outgoing/ports.js';

export class MemoryWebhookStore implements WebhookStore {
  readonly events = new Map<string, StoredWebhookEvent>();
  readonly endpoints: (WebhookEndpoint & { organizationId: string })[] = [];
  readonly attempts: DeliveryAttempt[] = [];
  readonly hmacKeys = new Map<string, string>();

  async load(eventId: string, since?: Date): Promise<DeliveryContext | null> {
    const event = this.events.get(eventId);
    if (event === undefined) return null;
    return {
      event,
      endpoints: this.endpoints.filter((e) => e.organizationId === event.organizationId),
      history: endpointHistory(
        this.attempts.filter((x) => x.eventId === eventId),
        since,
      ),
      organization: null,
      hmacKey: () => {
        const key = this.hmacKeys.get(event.organizationId);
        if (key === undefined) throw new Error('no hmac key');
        return new Secret(key);
      },
    };
  }

  async recordAttempt(attempt: DeliveryAttempt) {
    this.attempts.push(attempt);
  }
}
