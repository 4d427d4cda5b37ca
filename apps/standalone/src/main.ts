import { startSystem } from './system.js';

const host = process.env.HOST ?? '127.0.0.1';
const system = await startSystem({
  host,
  apiPort: Number(process.env.API_PORT ?? 3000),
  webhooksPort: Number(process.env.WEBHOOKS_PORT ?? 3001),
});

console.log(`API        ${system.apiUrl}`);
console.log(`Webhooks   ${system.webhooksUrl}`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await system.stop();
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
