/**
 * `./scripts/start`: the whole system in one process on embedded defaults. PGlite keeps its data in
 * `.data/` (or DATABASE_URL is used), the Stripe emulator runs in-process (or STRIPE_API_BASE is
 * used). The first run creates a demo organization connected to the emulator.
 */
import { join, resolve } from 'node:path';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { openDatabaseFromEnv } from '@payrail/persistence';
import { loadStartConfig } from './config.js';
import { createDemo, type DemoState, readDemoState } from './demo.js';
import { loadOrCreateSigningKey } from './signing-key-file.js';
import { startSystem } from './system.js';

const config = loadStartConfig(process.env);
const dataDir = resolve(config.DATA_DIR);
const signingKey = config.WEBHOOK_SIGNING_PRIVATE_KEY
  ? WebhookSigningKey.fromText(config.WEBHOOK_SIGNING_PRIVATE_KEY)
  : await loadOrCreateSigningKey(join(dataDir, 'webhook-signing-key.pem'));

console.log(config.DATABASE_URL ? 'Opening PostgreSQL...' : `Starting embedded PostgreSQL in ${dataDir}...`);
const database = await openDatabaseFromEnv({ dataDir: join(dataDir, 'pglite') }).catch((error: Error) => {
  // One line, no stack: an unreachable database or a refused migration is for the operator.
  console.error(`cannot open the database: ${error.message}`);
  process.exit(1);
});
const system = await startSystem({
  host: config.HOST,
  apiPort: config.API_PORT,
  webhooksPort: config.WEBHOOKS_PORT,
  emulatorPort: config.STRIPE_EMULATOR_PORT,
  database,
  signingKey,
  // Someone is at the keyboard: bank debits settle and links expire on the wall clock, webhook
  // deliveries are retried as patiently as Stripe retries them, and the emulated account is kept
  // beside the database so a restart still finds the objects the database refers to.
  emulator: {
    realTimeClock: true,
    webhookRetry: { maxAttempts: 6, initialDelayMs: 1_000, maxDelayMs: 60_000 },
    stateFile: join(dataDir, 'stripe-emulator.json'),
  },
  ...(config.STRIPE_API_BASE ? { stripeApiBase: config.STRIPE_API_BASE } : {}),
  stripeRates: {
    livePerSecond: config.STRIPE_LIVE_REQUESTS_PER_SECOND,
    testPerSecond: config.STRIPE_TEST_REQUESTS_PER_SECOND,
  },
  ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
  // A developer's receivers listen on this machine: loopback webhook endpoints are allowed here
  // unless WEBHOOK_ALLOW_PRIVATE_TARGETS says otherwise (production allows none).
  allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? ['loopback'],
  ui: {
    basePath: '/ui',
    ...(config.COOKIE_SECURE === undefined ? {} : { secureCookies: config.COOKIE_SECURE }),
    sessionIdleSeconds: config.UI_SESSION_IDLE_MINUTES * 60,
    sessionMaxSeconds: config.UI_SESSION_MAX_HOURS * 3600,
  },
});

const demoFile = join(dataDir, 'demo.json');
let demo: DemoState | null = await readDemoState(demoFile);
if (!demo && system.emulator) {
  demo = await createDemo(database, system.apiUrl, demoFile);
  console.log('\nFirst run: created the demo organization and connected it to the Stripe emulator.');
}

console.log(`
Payrail is running.
  API             ${system.apiUrl}/api/v1
  API reference   ${system.apiUrl}/docs
  Web UI          ${system.apiUrl}/ui
  Stripe webhooks ${system.webhooksUrl}/webhooks/stripe/{organization_id}?code={connection code}
  Stripe API      ${system.stripeApiBase}${system.emulator ? ` (emulator; checkout pages at ${system.emulator.url}/checkout/{session id})` : ''}`);
if (demo) {
  console.log(`  Demo API key    ${demo.apiKey}   (organization "${demo.organizationName}", Stripe connection code "${demo.stripeConnectionCode}")
  Try:            curl -s -H "Authorization: Bearer ${demo.apiKey}" ${system.apiUrl}/api/v1/stripe_connections`);
}
console.log('Press Ctrl-C to stop.');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await system.stop();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
