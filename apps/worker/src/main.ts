import { openDatabaseFromEnv, RECONCILE_SWEEP_QUEUE } from '@payrail/persistence';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { composeWorker } from './compose.js';
import { parseWorkerEnv } from './config.js';
import { jsonLogger } from './logger.js';
import { startWorker } from './start-worker.js';

/** The worker as its own process: `node dist/main.js`. Several may run side by side. */
const config = (() => {
  try {
    return parseWorkerEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();
const logger = jsonLogger('worker', config.logLevel);
const db = await openDatabaseFromEnv();
const worker = await startWorker(
  composeWorker({
    db,
    gateways: new StripeGatewayFactory(
      config.stripeApiBase === undefined ? {} : { apiBase: config.stripeApiBase },
    ),
    signingKey: config.signingKey,
    publicBaseUrl: config.publicBaseUrl,
    apiUrl: config.apiUrl,
    settings: {
      ...config.settings,
      reconcile: { ...config.settings.reconcile, queue: RECONCILE_SWEEP_QUEUE },
    },
    logger,
  }),
);
logger.info('worker started', { concurrency: config.settings.concurrency });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping: finishing or releasing jobs in hand', { signal });
  await worker.stop();
  await db.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
