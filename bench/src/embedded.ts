/**
 * The start command's footprint: `node apps/standalone/dist/main.js` (PGlite, the Stripe
 * emulator, the API, the webhook receiver and the worker in one process) on a fresh data
 * directory, measured once it has been idle for a while.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@payrail/standalone';
import { rssMb } from './measure.js';

export async function embeddedIdleRss(repoRoot: string, idleMs = 10_000): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'payrail-bench-embedded-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    API_PORT: String(await freePort()),
    WEBHOOKS_PORT: String(await freePort()),
    STRIPE_EMULATOR_PORT: String(await freePort()),
  };
  delete env.DATABASE_URL;
  delete env.STRIPE_API_BASE;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [join(repoRoot, 'apps/standalone/dist/main.js')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the start command did not start within 120 s')),
        120_000,
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Payrail is running.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.resume();
      child.once('exit', (code) => reject(new Error(`the start command exited with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, idleMs));
    return (await rssMb(child.pid)) ?? Number.NaN;
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}
