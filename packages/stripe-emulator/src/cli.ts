#!/usr/bin/env node
/** `node dist/cli.js`: runs the emulator on STRIPE_EMULATOR_PORT (default 12111) until SIGINT/SIGTERM. */
import { KEY_MODES, type KeyMode } from './emulator.js';
import { startEmulator } from './server.js';

function port(): number {
  const raw = process.env.STRIPE_EMULATOR_PORT;
  if (raw === undefined || raw === '') return 12111;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`STRIPE_EMULATOR_PORT must be a port number (0-65535), got "${raw}"`);
    process.exit(2);
  }
  return n;
}

function keys(): KeyMode {
  const raw = process.env.STRIPE_EMULATOR_KEYS;
  if (raw === undefined || raw === '') return 'any';
  if (!(KEY_MODES as readonly string[]).includes(raw)) {
    console.error(`STRIPE_EMULATOR_KEYS must be one of ${KEY_MODES.join(', ')}, got "${raw}"`);
    process.exit(2);
  }
  return raw as KeyMode;
}

const emu = await startEmulator({
  port: port(),
  host: process.env.STRIPE_EMULATOR_HOST || '127.0.0.1',
  ...(process.env.STRIPE_EMULATOR_PUBLIC_URL ? { publicUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL } : {}),
  webhookRetry: { maxAttempts: 6, initialDelayMs: 1000, maxDelayMs: 60_000 },
  realTimeClock: process.env.STRIPE_EMULATOR_REAL_TIME === '1',
  keys: keys(),
  ...(process.env.STRIPE_EMULATOR_STATE_FILE ? { stateFile: process.env.STRIPE_EMULATOR_STATE_FILE } : {}),
});
const notes = [
  ...(process.env.STRIPE_EMULATOR_STATE_FILE ? [`state in ${process.env.STRIPE_EMULATOR_STATE_FILE}`] : []),
  ...(emu.emulator.keyMode === 'registered' ? ['registered keys only'] : []),
];
console.log(`stripe-emulator listening on ${emu.url}${notes.length ? ` (${notes.join('; ')})` : ''}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void emu.stop().then(() => {
      console.log('stripe-emulator stopped');
      process.exit(0);
    });
  });
}
