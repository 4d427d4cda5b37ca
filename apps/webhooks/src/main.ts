import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { closeHttpServer, createLogger, Metrics, openDatabaseFromEnv } from '@payrail/persistence';
import { createWebhooksApp } from './app.js';
import { composeWebhooks } from './compose.js';
import { parseWebhooksEnv } from './config.js';

/** The webhook receiver as its own process: `node dist/main.js`. Stateless; run as many as needed. */
const config = (() => {
  try {
    return parseWebhooksEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();
const logger = createLogger({ service: 'webhooks', level: config.logLevel });
// This process only enqueues: pg-boss maintenance and cron run in the workers.
const db = await openDatabaseFromEnv({ queueMaintenance: false }).catch((error: Error) => {
  // One line, no stack: a missing migration or an unreachable database is an operator's matter.
  console.error(`webhooks: cannot open the database: ${error.message}`);
  process.exit(1);
});
const metrics = new Metrics({ service: 'webhooks' });
const app = createWebhooksApp(composeWebhooks({ db, secretTtlMs: config.secretTtlMs, logger, metrics }));
const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) =>
  logger.info('webhooks listening', { host: config.host, port: info.port }),
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  // Requests in flight finish (their inbox writes commit) before the pool closes.
  await closeHttpServer(server as Server);
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
