import { Secret } from '@payrail/domain';
import type {
  DeliveryAttempt,
  EndpointHistory,
  StoredWebhookEvent,
  WebhookEndpoint,
  WebhookStore,
} from '../src/outgoing/ports.js';

export class MemoryWebhookStore implements WebhookStore {
  readonly events = new Map<string, StoredWebhookEvent>();
  readonly endpoints: (WebhookEndpoint & { organizationId: string })[] = [];
  readonly attempts: DeliveryAttempt[] = [];
  readonly hmacKeys = new Map<string, string>();

  async findEvent(eventId: string) {
    return this.events.get(eventId) ?? null;
  }

  async listEndpoints(organizationId: string) {
    return this.endpoints.filter((e) => e.organizationId === organizationId);
  }

  async history(eventId: string, since?: Date) {
    const map = new Map<string, EndpointHistory>();
    for (const a of this.attempts.filter((x) => x.eventId === eventId)) {
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

  async recordAttempt(attempt: DeliveryAttempt) {
    this.attempts.push(attempt);
  }

  async hmacKey(organizationId: string) {
    const key = this.hmacKeys.get(organizationId);
    if (key === undefined) throw new Error('no hmac key');
    return new Secret(key);
  }
}
