import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { buildApiDeps, createApiApp, type UiMount } from '@payrail/api';
import type { Clock, IdGenerator } from '@payrail/domain';
import type { PrivateTargetKind, WebhookSigningKey } from '@payrail/lago-wire';
import { createLogger, type Database, type JsonLogger } from '@payrail/persistence';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import { composeWebhooks, createWebhooksApp } from '@payrail/webhooks';
import { composeWorker, type RunningWorker, startWorker, type WorkerSettings } from '@payrail/worker';

export interface SystemOptions {
  readonly host: string;
  readonly apiPort: number;
  readonly webhooksPort: number;
  /** Opened by the caller (embedded PGlite, PostgreSQL, or a test schema); closed by `stop()`, also when start fails. */
  readonly database: Database;
  readonly signingKey: WebhookSigningKey;
  /** Where Stripe lives. Unset: the emulator is started in this process on `emulatorPort`. */
  readonly stripeApiBase?: string;
  /**
   * Requests per second each Stripe account is paced to, by its key's mode; Stripe's default limits
   * (live 100, test 25) unless given, 0 for unpaced (decision 0920).
   */
  readonly stripeRates?: { readonly livePerSecond?: number; readonly testPerSecond?: number };
  readonly emulatorPort?: number;
  /** More emulator settings (clock, webhook retries, state file) when it is started here. */
  readonly emulator?: Omit<EmulatorOptions, 'host' | 'port'>;
  /** Base URL Stripe can reach the webhooks app at; default the webhooks app's own address. */
  readonly publicBaseUrl?: string;
  readonly worker?: Partial<Omit<WorkerSettings, 'webhookIssuer' | 'webhookPrivateTargets'>>;
  /**
   * Private address classes webhook endpoints may reach, for the API's check at save and the
   * worker's at send (`WEBHOOK_ALLOW_PRIVATE_TARGETS`); none unless given. Decision 0800.
   */
  readonly allowPrivateWebhookTargets?: readonly PrivateTargetKind[];
  /** The web UI's mount (cookies, session lifetimes); `/ui` with defaults when absent. */
  readonly ui?: UiMount;
  readonly logger?: JsonLogger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

export interface RunningSystem {
  readonly apiUrl: string;
  readonly webhooksUrl: string;
  /** The Stripe API the system talks to: the in-process emulator's URL, or `stripeApiBase`. */
  readonly stripeApiBase: string;
  readonly emulator: RunningEmulator | null;
  readonly database: Database;
  stop(): Promise<void>;
}

type Server = ReturnType<typeof serve>;

function listen(fetch: (req: Request) => Response | Promise<Response>, host: string, port: number) {
  return new Promise<{ server: Server; url: string }>((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, (info: AddressInfo) => {
      resolve({ server, url: `http://${host}:${info.port}` });
    });
    server.once('error', reject);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until they time out.
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

/**
 * The embedded shape: api, webhooks and worker compositions in one process around one database,
 * and the Stripe emulator unless a Stripe API base is given. Production runs each app's own
 * `main` instead; the compositions are the same.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const { database, host } = options;
  const logger = options.logger ?? createLogger({ service: 'payrail', level: 'warn' });
  let emulator: RunningEmulator | null = null;
  let webhooks: { server: Server; url: string } | null = null;
  let api: { server: Server; url: string } | null = null;
  let worker: RunningWorker | null = null;

  // Servers stop taking requests first, then the worker finishes or hands back the jobs in hand
  // (stopping the queue), then the emulator, then the database.
  const stopAll = async () => {
    const quietly = (step: Promise<void> | null | undefined) => step?.catch(() => undefined);
    await Promise.all([quietly(api && close(api.server)), quietly(webhooks && close(webhooks.server))]);
    await quietly(worker?.stop());
    await quietly(emulator?.stop());
    await quietly(database.close());
  };

  try {
    let stripeApiBase = options.stripeApiBase;
    if (!stripeApiBase) {
      emulator = await startEmulator({ ...options.emulator, host, port: options.emulatorPort ?? 12111 });
      stripeApiBase = emulator.url;
    }
    const gateways = new StripeGatewayFactory({
      apiBase: stripeApiBase,
      pacing: {
        budget: database.stripeRequests,
        ...options.stripeRates,
        onBudgetError: (error) =>
          logger.warn('Stripe request budget unreadable: this request goes unpaced', {
            error: (error as Error).message,
          }),
      },
    });

    webhooks = await listen(
      createWebhooksApp(composeWebhooks({ db: database, logger })).fetch,
      host,
      options.webhooksPort,
    );
    const publicBaseUrl = options.publicBaseUrl ?? webhooks.url;

    const apiDeps = buildApiDeps({
      database,
      gateways,
      signingKey: options.signingKey,
      settings: { publicBaseUrl },
      logger,
      allowPrivateWebhookTargets: options.allowPrivateWebhookTargets ?? [],
      ...(options.ui ? { ui: options.ui } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ids ? { ids: options.ids } : {}),
    });
    api = await listen(createApiApp(apiDeps).fetch, host, options.apiPort);

    worker = await startWorker(
      composeWorker({
        db: database,
        gateways,
        signingKey: options.signingKey,
        publicBaseUrl,
        apiUrl: api.url,
        logger,
        settings: { ...options.worker, webhookPrivateTargets: options.allowPrivateWebhookTargets ?? [] },
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.ids ? { ids: options.ids } : {}),
      }),
    );

    return {
      apiUrl: api.url,
      webhooksUrl: webhooks.url,
      stripeApiBase,
      emulator,
      database,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
