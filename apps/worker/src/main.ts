import {
  createLogger,
  databaseReady,
  Metrics,
  openDatabaseFromEnv,
  RECONCILE_SWEEP_QUEUE,
} from '@payrail/persistence';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { startWorker } from './app.js';
import { composeWorker } from './compose.js';
import { parseWorkerEnv } from './config.js';
import { startOpsServer } from './ops-server.js';

/** The worker as its own process: `node dist/main.js`. Several may run side by side. */
const config = (() => {
  try {
    return parseWorkerEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();
const logger = createLogger({ service: 'worker', level: config.logLevel });
const db = await openDatabaseFromEnv().catch((error: Error) => {
  // One line, no stack: a missing migration or an unreachable database is an operator's matter.
  console.error(`worker: cannot open the database: ${error.message}`);
  process.exit(1);
});
// The worker also exposes the deployment-wide gauges (queue depth and age, payments by status).
const metrics = new Metrics({ service: 'worker', database: db });
const worker = await startWorker(
  composeWorker({
    db,
    gateways: new StripeGatewayFactory({
      ...(config.stripeApiBase === undefined ? {} : { apiBase: config.stripeApiBase }),
      onResponse: (r) => metrics.observeStripeCall(r.operation, r.status, r.seconds),
      pacing: {
        budget: db.stripeRequests,
        ...config.stripeRates,
        onBudgetError: (error) =>
          logger.warn('Stripe request budget unreadable: this request goes unpaced', {
            error: (error as Error).message,
          }),
      },
    }),
    signingKey: config.signingKey,
    publicBaseUrl: config.publicBaseUrl,
    apiUrl: config.apiUrl,
    settings: {
      ...config.settings,
      reconcile: { ...config.settings.reconcile, queue: RECONCILE_SWEEP_QUEUE },
    },
    logger,
    metrics,
  }),
);
const ops = await startOpsServer({
  host: config.http.host,
  port: config.http.port,
  ready: () => databaseReady(db),
  metrics,
});
logger.info('worker started', { concurrency: config.settings.concurrency, http: ops.url });
if (config.settings.webhookPrivateTargets.length > 0) {
  logger.warn('outgoing webhooks may reach private addresses', {
    allowed: config.settings.webhookPrivateTargets.join(','),
  });
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping: finishing or releasing jobs in hand', { signal });
  await worker.stop();
  await ops.close();
  await db.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
