import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { bootstrapOrganization, buildApiDeps, createApiApp } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { createLogger } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import { composeWebhooks, createWebhooksApp } from '@payrail/webhooks';
import { composeWorker, type RunningWorker, startWorker } from '@payrail/worker';

type Server = ReturnType<typeof serve>;

function listen(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
    server.once('error', reject);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface RunningSystem {
  /** The API with the UI at `/ui`. */
  readonly apiUrl: string;
  readonly webhooksUrl: string;
  readonly emulator: RunningEmulator;
  readonly db: TestDatabase;
  readonly apiKey: string;
  stop(): Promise<void>;
}

/**
 * Every process of the product on real loopback servers: the Stripe emulator, the API with the UI
 * mounted, the webhooks app the emulator delivers to, and the worker running every queue, all on
 * one fresh database schema.
 */
export async function startRunningSystem(): Promise<RunningSystem> {
  const db = await createTestDatabase({ prefix: 'webui_e2e' });
  const emulator = await startEmulator({ port: 0 });
  const gateways = new StripeGatewayFactory({ apiBase: emulator.url, maxNetworkRetries: 0 });
  const signingKey = WebhookSigningKey.generate();
  const quiet = createLogger({ service: 'api', level: 'error', write: () => {} });

  const webhooks = await listen(createWebhooksApp(composeWebhooks({ db })).fetch);
  const settings = { publicBaseUrl: webhooks.url };
  const apiApp = createApiApp(
    buildApiDeps({
      database: db,
      gateways,
      signingKey,
      settings,
      logger: quiet,
      version: 'e2e',
      ui: { basePath: '/ui', emulatorUrl: emulator.url },
    }),
  );
  const api = await listen(apiApp.fetch);

  let worker: RunningWorker | null = null;
  try {
    worker = await startWorker(
      composeWorker({ db, gateways, signingKey, publicBaseUrl: webhooks.url, apiUrl: api.url }),
    );
  } catch (error) {
    await Promise.all([close(api.server), close(webhooks.server), emulator.stop()]);
    await db.dispose();
    throw error;
  }
  const org = await bootstrapOrganization(db.organizations, { name: 'Acme' });
  return {
    apiUrl: api.url,
    webhooksUrl: webhooks.url,
    emulator,
    db,
    apiKey: org.apiKey,
    async stop() {
      await worker?.stop();
      await Promise.all([close(api.server), close(webhooks.server)]);
      await emulator.stop();
      await db.dispose();
    },
  };
}
