import { WebhookSigningKey } from '@payrail/lago-wire';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import {
  type ApiDeps,
  type BootstrappedOrganization,
  bootstrapOrganization,
  buildApiDeps,
  createApiApp,
  createJsonLogger,
} from '../src/index.js';

/** One key per test run: RSA generation is the slow part of a key. */
export const TEST_SIGNING_KEY = WebhookSigningKey.generate();

export interface Harness {
  readonly app: ReturnType<typeof createApiApp>;
  readonly deps: ApiDeps;
  readonly db: TestDatabase;
  readonly emulator: RunningEmulator;
  readonly acme: BootstrappedOrganization;
  readonly globex: BootstrappedOrganization;
  /** Every JSON log line the app wrote. */
  readonly logs: string[];
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/** A real database schema, a real emulator over HTTP, the real Stripe SDK adapter, two organizations. */
export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase({ prefix: 'api' });
  const emulator = await startEmulator({ port: 0 });
  const logs: string[] = [];
  const deps = buildApiDeps({
    database: db,
    gateways: new StripeGatewayFactory({ apiBase: emulator.url, maxNetworkRetries: 0 }),
    signingKey: TEST_SIGNING_KEY,
    settings: { publicBaseUrl: 'https://payrail.example.test' },
    logger: createJsonLogger({ level: 'debug', write: (line) => logs.push(line) }),
    version: 'test',
  });
  const app = createApiApp(deps);
  const acme = await bootstrapOrganization(db.organizations, { name: 'Acme' });
  const globex = await bootstrapOrganization(db.organizations, { name: 'Globex' });
  return {
    app,
    deps,
    db,
    emulator,
    acme,
    globex,
    logs,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const key = options.key === undefined ? acme.apiKey : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      await emulator.stop();
      await db.dispose();
    },
  };
}

/** A Stripe connection on the emulator for `org` (the test key is accepted by the emulator). */
export async function connectStripe(h: Harness, key = h.acme.apiKey, code = 'stripe_test') {
  const res = await h.call('POST', '/api/v1/stripe_connections', {
    key,
    body: { stripe_connection: { name: 'Stripe test', code, secret_key: 'sk_test_payrail_ok_1234' } },
  });
  if (res.status !== 200) throw new Error(`connect failed: ${res.status} ${res.text}`);
  return (res.body as { stripe_connection: { lago_id: string } }).stripe_connection;
}
