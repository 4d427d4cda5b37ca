import type { UseCaseContext } from '@payrail/domain';
import type { WebhookSigningKey } from '@payrail/lago-wire';
import type { JsonLogger, Metrics, ReadScope } from '@payrail/persistence';
import type { UiSessions } from '@payrail/web-ui';
import type { ApiKeyAuthenticator } from './ports/api-keys.js';
import type { IdempotencyStore } from './ports/idempotency.js';
import type { ListQueries } from './ports/lists.js';
import type { OrganizationSecrets } from './ports/organization-secrets.js';
import type { ReadinessProbe } from './ports/readiness.js';
import type { WebhookDeliveryLog, WebhookRedelivery } from './ports/webhook-deliveries.js';
import type { WebhookEndpointStore, WebhookTargetPolicy } from './ports/webhook-endpoints.js';

export interface UiMount {
  /** Where the pages are served, `/ui` by default. */
  readonly basePath: string;
  /** In development: the Stripe emulator's URL, shown as a hint on the Stripe pages. */
  readonly emulatorUrl?: string;
  /**
   * `Secure` on the UI's cookies (`COOKIE_SECURE`). Default: true when `settings.publicBaseUrl` is
   * https. Never taken from the request URL, which is plain http behind a TLS-terminating proxy.
   */
  readonly secureCookies?: boolean;
  /** A session unused this long is over (`UI_SESSION_IDLE_MINUTES`); 30 minutes by default. */
  readonly sessionIdleSeconds?: number;
  /** A session is over this long after sign-in (`UI_SESSION_MAX_HOURS`); 12 hours by default. */
  readonly sessionMaxSeconds?: number;
}

/** The UI mount as the app serves it: settings resolved, sessions stored server-side. */
export interface UiDeps {
  readonly basePath: string;
  readonly emulatorUrl?: string;
  readonly secureCookies: boolean;
  readonly sessions: UiSessions;
}

/** Everything the HTTP app needs, built once by a composition root (`buildApiDeps` or a test). */
export interface ApiDeps {
  readonly version: string;
  /** The use cases' context: unit of work, gateways, clock, ids, settings, logger. */
  readonly ctx: UseCaseContext;
  /** The repositories outside any transaction, for what a request only reads. */
  readonly reads: ReadScope;
  readonly apiKeys: ApiKeyAuthenticator;
  readonly lists: ListQueries;
  readonly webhookEndpoints: WebhookEndpointStore;
  /** Refuses endpoint URLs that reach loopback, private networks or metadata services. */
  readonly webhookTargets: WebhookTargetPolicy;
  readonly webhookDeliveries: WebhookDeliveryLog;
  readonly webhookRedelivery: WebhookRedelivery;
  readonly organizationSecrets: OrganizationSecrets;
  readonly idempotency: IdempotencyStore;
  /** Its public half is served at `/webhooks/public_key`; the worker signs with the same key. */
  readonly signingKey: WebhookSigningKey;
  readonly readiness: ReadinessProbe;
  readonly logger: JsonLogger;
  /** The web UI (@payrail/web-ui) mounted on this app; null leaves it out. */
  readonly ui?: UiDeps | null;
  /** How long an `Idempotency-Key` is remembered; 24 hours by default. */
  readonly idempotencyTtlMs?: number;
  /** Counts requests and serves `/metrics`; absent in tests that do not look. */
  readonly metrics?: Metrics;
}
