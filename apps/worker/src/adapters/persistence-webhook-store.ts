import { Secret } from '@payrail/domain';
import type { Database } from '@payrail/persistence';
import { endpointHistory, type WebhookEndpoint, type WebhookStore } from '../outgoing/ports.js';

/**
 * The delivery handler's view of persistence's webhook store: a run's reads (event, endpoints,
 * attempts, the organization's HMAC key) are one statement (decision 0911).
 */
export function persistenceWebhookStore(db: Database): WebhookStore {
  return {
    async load(eventId, since) {
      const context = await db.webhooks.deliveryContext(eventId);
      if (context === null) return null;
      const { event } = context;
      return {
        event,
        endpoints: context.endpoints.map(
          (e): WebhookEndpoint => ({
            id: e.id,
            url: e.webhookUrl,
            signatureAlgo: e.signatureAlgo,
            eventTypes: e.eventTypes,
          }),
        ),
        history: endpointHistory(context.attempts, since),
        organization:
          context.documentNumberPrefix === null
            ? null
            : {
                documentNumberPrefix: context.documentNumberPrefix,
                connectionCodes: context.connectionCodes,
              },
        hmacKey() {
          const key = context.hmacKey();
          if (key === null) throw new Error(`organization ${event.organizationId} has no HMAC key`);
          return new Secret(key);
        },
      };
    },
    recordAttempt: (attempt) => db.webhooks.recordAttempt({ ...attempt, responseExcerpt: null }),
  };
}
