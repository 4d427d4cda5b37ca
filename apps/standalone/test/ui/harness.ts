import { bootstrapOrganization, buildApiDeps, createApiApp } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { createLogger } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';

export interface UiHarness {
  /** The API with the UI mounted at `/ui`, as apps/api serves them. */
  readonly app: ReturnType<typeof createApiApp>;
  readonly db: TestDatabase;
  readonly emulator: RunningEmulator;
  readonly apiKey: string;
  close(): Promise<void>;
}

/**
 * The real API on a fresh schema (PostgreSQL or PGlite), the real Stripe SDK against the emulator
 * over HTTP, and the UI calling that API in-process.
 */
export async function startUiHarness(options: { publicBaseUrl?: string } = {}): Promise<UiHarness> {
  const db = await createTestDatabase({ prefix: 'webui' });
  const emulator = await startEmulator({ port: 0 });
  const deps = buildApiDeps({
    database: db,
    gateways: new StripeGatewayFactory({ apiBase: emulator.url, maxNetworkRetries: 0 }),
    signingKey: WebhookSigningKey.generate(),
    settings: { publicBaseUrl: options.publicBaseUrl ?? 'https://payrail.example.test' },
    logger: createLogger({ service: 'api', level: 'error', write: () => {} }),
    version: 'test',
    // apps/api mounts the UI itself; this is the same mount its launchers get by default.
    ui: { basePath: '/ui', emulatorUrl: emulator.url },
  });
  const app = createApiApp(deps);
  const org = await bootstrapOrganization(db.organizations, { name: 'Acme' });
  return {
    app,
    db,
    emulator,
    apiKey: org.apiKey,
    async close() {
      await emulator.stop();
      await db.dispose();
    },
  };
}
