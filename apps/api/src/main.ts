/** `node apps/api/dist/main.js`: the API as its own process, configured by the environment. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { closeHttpServer, createLogger, Metrics, openDatabaseFromEnv } from '@payrail/persistence';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { createApiApp } from './app.js';
import { buildApiDeps } from './compose.js';
import { ConfigError, loadApiConfig, uiMountFromConfig } from './config/env.js';

let config: ReturnType<typeof loadApiConfig>;
try {
  config = loadApiConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
let signingKey: WebhookSigningKey;
if (config.WEBHOOK_SIGNING_PRIVATE_KEY) {
  signingKey = WebhookSigningKey.fromText(config.WEBHOOK_SIGNING_PRIVATE_KEY);
} else {
  // Only outside production (the config refuses this there): the worker cannot share this key.
  signingKey = WebhookSigningKey.generate();
  logger.warn('WEBHOOK_SIGNING_PRIVATE_KEY is not set: generated a key for this process only');
}
const database = await openDatabaseFromEnv({ queueMaintenance: false }).catch((error: Error) => {
  // One line, no stack: a missing migration or an unreachable database is an operator's matter.
  console.error(`api: cannot open the database: ${error.message}`);
  process.exit(1);
});
const metrics = new Metrics({ service: 'api' });
const deps = buildApiDeps({
  database,
  gateways: new StripeGatewayFactory({
    ...(config.STRIPE_API_BASE ? { apiBase: config.STRIPE_API_BASE } : {}),
    onResponse: (r) => metrics.observeStripeCall(r.operation, r.status, r.seconds),
    pacing: {
      budget: database.stripeRequests,
      livePerSecond: config.STRIPE_LIVE_REQUESTS_PER_SECOND,
      testPerSecond: config.STRIPE_TEST_REQUESTS_PER_SECOND,
      onBudgetError: (error) =>
        logger.warn('Stripe request budget unreadable: this request goes unpaced', {
          error: (error as Error).message,
        }),
    },
  }),
  signingKey,
  settings: { publicBaseUrl: config.PUBLIC_BASE_URL },
  logger,
  metrics,
  apiKeyCacheMs: config.API_KEY_CACHE_SECONDS * 1000,
  ui: uiMountFromConfig(config),
  allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
});
if (config.WEBHOOK_ALLOW_PRIVATE_TARGETS.length > 0) {
  logger.warn('webhook endpoints may point at private addresses', {
    allowed: config.WEBHOOK_ALLOW_PRIVATE_TARGETS.join(','),
  });
}
const server = serve(
  { fetch: createApiApp(deps).fetch, hostname: config.HOST, port: config.API_PORT },
  (info) => logger.info('api listening', { host: config.HOST, port: info.port }),
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info('stopping: finishing requests in flight', { signal });
  // Stops accepting and resolves once every request in flight has been answered; only then does
  // the database close under them.
  await closeHttpServer(server as Server);
  await database.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
