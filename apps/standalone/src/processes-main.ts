/**
 * `./scripts/start --processes [--workers N]`: the production shape on this machine. The API, the
 * webhook receiver and N workers run as separate processes against DATABASE_URL (ENCRYPTION_KEY
 * required), with the Stripe emulator in its own process unless STRIPE_API_BASE is set. Ctrl-C
 * stops them all gracefully; a process that dies is reported, not restarted.
 */
import { parseArgs } from 'node:util';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { loadStartConfig } from './config.js';
import { startProcesses } from './processes.js';

const { values } = parseArgs({
  options: { processes: { type: 'boolean' }, workers: { type: 'string', default: '2' } },
  strict: true,
});
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 1 || workers > 32) {
  console.error(`--workers must be a whole number from 1 to 32, got ${JSON.stringify(values.workers)}`);
  process.exit(2);
}
const config = loadStartConfig(process.env);
const encryptionKey = process.env.ENCRYPTION_KEY;
if (!config.DATABASE_URL || !encryptionKey) {
  console.error('--processes needs DATABASE_URL (a PostgreSQL every process shares) and ENCRYPTION_KEY');
  process.exit(2);
}
const signingKeyPem = config.WEBHOOK_SIGNING_PRIVATE_KEY
  ? WebhookSigningKey.fromText(config.WEBHOOK_SIGNING_PRIVATE_KEY).privateKeyPem()
  : WebhookSigningKey.generate().privateKeyPem();
if (!config.WEBHOOK_SIGNING_PRIVATE_KEY) {
  console.log(
    'WEBHOOK_SIGNING_PRIVATE_KEY is not set: outgoing JWT webhooks are signed with a key for this run only.',
  );
}

const running = await startProcesses({
  databaseUrl: config.DATABASE_URL,
  encryptionKey,
  signingKeyPem,
  workers,
  host: config.HOST,
  apiPort: config.API_PORT,
  webhooksPort: config.WEBHOOKS_PORT,
  emulatorPort: config.STRIPE_EMULATOR_PORT,
  ...(config.STRIPE_API_BASE ? { stripeApiBase: config.STRIPE_API_BASE } : {}),
  ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
  output: 'inherit',
});

const pids = (role: string) =>
  running.all
    .filter((p) => p.role === role)
    .map((p) => `${p.name} pid ${p.pid()}`)
    .join(', ');
console.log(`
Payrail is running as separate processes (each answers /health, /ready and /metrics).
  API             ${running.apiUrl}/api/v1   (${pids('api')})
  Stripe webhooks ${running.webhooksUrl}/webhooks/stripe/{organization_id}?code={connection code}   (${pids('webhooks')})
  Workers         ${pids('worker')}
                  health, readiness and metrics: ${running.all
                    .filter((p) => p.role === 'worker')
                    .map((p) => p.url)
                    .join(', ')}
  Stripe API      ${running.stripeApiBase}${running.emulator ? `   (emulator, ${pids('emulator')})` : ''}
Press Ctrl-C to stop.`);

for (const p of running.all) {
  void p.exited().then((code) => {
    if (!stopping) console.error(`${p.name} exited with code ${code}; it is not restarted.`);
  });
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping every process...`);
  await running.stop();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
