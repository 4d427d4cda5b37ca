import { randomUUID } from 'node:crypto';
import type { Clock, DomainSettings, IdGenerator, PaymentGatewayFactory } from '@payrail/domain';
import type { PrivateTargetKind, Resolver, WebhookSigningKey } from '@payrail/lago-wire';
import {
  createLogger,
  type Database,
  DEFAULT_UI_SESSION_LIFETIMES,
  databaseReady,
  type JsonLogger,
  type Metrics,
  UiSessionStore,
} from '@payrail/persistence';
import { resolvingWebhookTargets } from './adapters/webhook-targets.js';
import type { ApiDeps, UiDeps, UiMount } from './deps.js';
import { CachedApiKeys } from './http/api-key-cache.js';

export interface BuildApiDepsInput {
  /** From `openDatabase`/`openDatabaseFromEnv`/`createTestDatabase` of @payrail/persistence. */
  readonly database: Database;
  /** `new StripeGatewayFactory({ apiBase })` from @payrail/stripe-adapter in every real composition. */
  readonly gateways: PaymentGatewayFactory;
  /** The deployment's webhook key: the same one the worker signs with. */
  readonly signingKey: WebhookSigningKey;
  readonly settings: DomainSettings;
  readonly logger?: JsonLogger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly version?: string;
  readonly idempotencyTtlMs?: number;
  /** The web UI mount; `{ basePath: '/ui' }` by default, null to serve the API alone. */
  readonly ui?: UiMount | null;
  readonly metrics?: Metrics;
  /**
   * Private address classes webhook endpoints may point at (`WEBHOOK_ALLOW_PRIVATE_TARGETS`): none
   * by default; the embedded start allows `loopback` for its local receivers. Decision 0800.
   */
  readonly allowPrivateWebhookTargets?: readonly PrivateTargetKind[];
  /** How endpoint host names are resolved for that check; `getaddrinfo` unless a test names its own. */
  readonly resolveWebhookHosts?: Resolver;
  /** How long an API key found valid is trusted without a database read; 5 s by default, 0 for never. */
  readonly apiKeyCacheMs?: number;
}

export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: IdGenerator = { next: () => randomUUID() };

/** Plain constructors over persistence's database, whose stores are the only ones naming tables; no container. */
export function buildApiDeps(input: BuildApiDepsInput): ApiDeps {
  const { database } = input;
  const logger = input.logger ?? createLogger({ service: 'api', level: 'info' });
  const clock = input.clock ?? systemClock;
  return {
    version: input.version ?? '0.1.0',
    ctx: {
      uow: database.unitOfWork,
      gateways: input.gateways,
      clock,
      ids: input.ids ?? uuidIds,
      settings: input.settings,
      logger,
    },
    reads: database.reads,
    apiKeys: new CachedApiKeys(database.organizations, {
      ttlMs: input.apiKeyCacheMs ?? 5_000,
      now: () => clock.now().getTime(),
    }),
    lists: database.lists,
    webhookEndpoints: database.webhookEndpoints,
    webhookTargets: resolvingWebhookTargets(
      input.allowPrivateWebhookTargets ?? [],
      input.resolveWebhookHosts,
    ),
    webhookDeliveries: database.webhookDeliveries,
    webhookRedelivery: database.webhooks,
    organizationSecrets: database.organizations,
    idempotency: database.idempotency.withClock(() => clock.now()),
    signingKey: input.signingKey,
    readiness: {
      async check() {
        const ok = await databaseReady(database);
        return { ok, checks: { database: ok } };
      },
    },
    logger,
    ui: input.ui === null ? null : uiDeps(input, input.ui ?? { basePath: '/ui' }, clock),
    ...(input.idempotencyTtlMs !== undefined ? { idempotencyTtlMs: input.idempotencyTtlMs } : {}),
    ...(input.metrics !== undefined ? { metrics: input.metrics } : {}),
  };
}

function uiDeps(input: BuildApiDepsInput, mount: UiMount, clock: Clock): UiDeps {
  const { database } = input;
  const sessions = new UiSessionStore(
    database.orm,
    database.schema,
    database.secretBox,
    {
      idleSeconds: mount.sessionIdleSeconds ?? DEFAULT_UI_SESSION_LIFETIMES.idleSeconds,
      absoluteSeconds: mount.sessionMaxSeconds ?? DEFAULT_UI_SESSION_LIFETIMES.absoluteSeconds,
    },
    () => clock.now(),
  );
  return {
    basePath: mount.basePath,
    ...(mount.emulatorUrl ? { emulatorUrl: mount.emulatorUrl } : {}),
    secureCookies: mount.secureCookies ?? input.settings.publicBaseUrl.startsWith('https:'),
    sessions,
  };
}
