import { Secret } from '@payrail/domain';
import { type Database, MAX_WEBHOOK_ENDPOINTS } from '@payrail/persistence';
import type { EndpointHistory, WebhookEndpoint, WebhookStore } from '../outgoing/ports.js';

/** The delivery handler's view of persistence's webhook stores and organization keys. */
export function persistenceWebhookStore(db: Database): WebhookStore {
  return {
    findEvent: (eventId) => db.webhooks.findEvent(eventId),
    async listEndpoints(organizationId) {
      const { items } = await db.webhookEndpoints.list(organizationId, {
        page: 1,
        perPage: MAX_WEBHOOK_ENDPOINTS,
      });
      return items.map(
        (e): WebhookEndpoint => ({
          id: e.id,
          url: e.webhookUrl,
          signatureAlgo: e.signatureAlgo,
          eventTypes: e.eventTypes,
        }),
      );
    },
    async history(eventId, since) {
      const map = new Map<string, EndpointHistory>();
      for (const a of await db.webhooks.listAttempts(eventId)) {
        const h = map.get(a.endpointId) ?? { attempts: 0, attemptsSince: 0, succeeded: false };
        const counts = since === undefined || a.attemptedAt.getTime() >= since.getTime();
        map.set(a.endpointId, {
          attempts: h.attempts + 1,
          attemptsSince: h.attemptsSince + (counts ? 1 : 0),
          succeeded: h.succeeded || (counts && a.succeeded),
        });
      }
      return map;
    },
    recordAttempt: (attempt) => db.webhooks.recordAttempt({ ...attempt, responseExcerpt: null }),
    async hmacKey(organizationId) {
      const key = await db.organizations.hmacKey(organizationId);
      if (key === null) throw new Error(`organization ${organizationId} has no HMAC key`);
      return new Secret(key);
    },
  };
}
