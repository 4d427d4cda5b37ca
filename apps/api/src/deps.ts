import type { UseCaseContext } from '@payrail/domain';
import type { WebhookSigningKey } from '@payrail/lago-wire';
import type { JsonLogger } from './logging.js';
import type { ApiKeyAuthenticator } from './ports/api-keys.js';
import type { IdempotencyStore } from './ports/idempotency.js';
import type { ListQueries } from './ports/lists.js';
import type { OrganizationSecrets } from './ports/organization-secrets.js';
import type { ReadinessProbe } from './ports/readiness.js';
import type { WebhookDeliveryLog, WebhookRedelivery } from './ports/webhook-deliveries.js';
import type { WebhookEndpointStore } from './ports/webhook-endpoints.js';

export interface UiMount {
  /** Where the pages are served, `/ui` by default. */
  readonly basePath: string;
  /** In development: the Stripe emulator's URL, shown as a hint on the Stripe pages. */
  readonly emulatorUrl?: string;
}

/** Everything the HTTP app needs, built once by a composition root (`buildApiDeps` or a test). */
export interface ApiDeps {
  readonly version: string;
  /** The use cases' context: unit of work, gateways, clock, ids, settings, logger. */
  readonly ctx: UseCaseContext;
  readonly apiKeys: ApiKeyAuthenticator;
  readonly lists: ListQueries;
  readonly webhookEndpoints: WebhookEndpointStore;
  readonly webhookDeliveries: WebhookDeliveryLog;
  readonly webhookRedelivery: WebhookRedelivery;
  readonly organizationSecrets: OrganizationSecrets;
  readonly idempotency: IdempotencyStore;
  /** Its public half is served at `/webhooks/public_key`; the worker signs with the same key. */
  readonly signingKey: WebhookSigningKey;
  readonly readiness: ReadinessProbe;
  readonly logger: JsonLogger;
  /** The web UI (@payrail/web-ui) mounted on this app; null leaves it out. */
  readonly ui?: UiMount | null;
  /** How long an `Idempotency-Key` is remembered; 24 hours by default. */
  readonly idempotencyTtlMs?: number;
}
