/**
 * The production shape on one machine: the API, the Stripe webhook receiver and N workers as
 * separate OS processes (`node apps/<app>/dist/main.js`) against one PostgreSQL, plus the Stripe
 * emulator in its own process when no Stripe API base is given. Nothing is restarted by itself:
 * whoever holds the handle (the start command, the chaos driver, a benchmark) decides.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecretBox, openDatabase } from '@payrail/persistence';

export type ProcessRole = 'api' | 'webhooks' | 'worker' | 'emulator';

export interface ProcessesOptions {
  readonly databaseUrl: string;
  readonly encryptionKey: string;
  /** PKCS#8 PEM of the key signing outgoing JWT webhooks; every process gets the same one. */
  readonly signingKeyPem: string;
  readonly workers: number;
  readonly host?: string;
  /** 0 (the default) picks a free port once; a restart keeps it. */
  readonly apiPort?: number;
  readonly webhooksPort?: number;
  readonly emulatorPort?: number;
  /** Unset: the emulator is started in its own process. */
  readonly stripeApiBase?: string;
  /** Where Stripe reaches the webhook receiver; default the receiver's own address. */
  readonly publicBaseUrl?: string;
  /** Extra environment for every process, and per role (e.g. worker settings, LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
  readonly roleEnv?: Partial<Record<ProcessRole, Readonly<Record<string, string>>>>;
  /** Where each process's output goes: a directory of `<name>.log` files, or this terminal, prefixed. */
  readonly output?: { readonly logDir: string } | 'inherit';
  readonly readyTimeoutMs?: number;
  /** Extra Node.js options per role, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`. */
  readonly nodeArgs?: Partial<Record<ProcessRole, readonly string[]>>;
}

export interface ManagedProcess {
  readonly name: string;
  readonly role: ProcessRole;
  /** The HTTP address it answers on (a worker's: health, readiness and metrics). */
  readonly url: string;
  pid(): number | undefined;
  running(): boolean;
  /** Sends a signal; with SIGKILL nothing is flushed or released, as in a crash. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /**
   * Starts it again with the same environment and port, and waits until it answers (a process
   * still running from a start that timed out is waited for, not started twice).
   */
  restart(): Promise<void>;
  /** Resolves when the process has exited (at once if it is not running). */
  exited(): Promise<number | null>;
}

export interface RunningProcesses {
  readonly apiUrl: string;
  readonly webhooksUrl: string;
  readonly stripeApiBase: string;
  readonly publicBaseUrl: string;
  readonly api: ManagedProcess;
  readonly webhooks: ManagedProcess;
  readonly workers: readonly ManagedProcess[];
  readonly emulator: ManagedProcess | null;
  readonly all: readonly ManagedProcess[];
  /** Graceful: SIGTERM to the HTTP apps and workers, then the emulator; SIGKILL after the timeout. */
  stop(timeoutMs?: number): Promise<void>;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const entryPoints: Record<ProcessRole, string> = {
  api: 'apps/api/dist/main.js',
  webhooks: 'apps/webhooks/dist/main.js',
  worker: 'apps/worker/dist/main.js',
  emulator: 'packages/stripe-emulator/dist/cli.js',
};

/**
 * V8 heap bounds of the HTTP apps (decision 0904) and of the worker (decision 0910). On a large machine V8 lets the old generation
 * grow to about 170 MB before its first full collection, so a busy API process passed 250 MB of
 * resident memory while holding 50 to 70 MB of live objects; with these bounds it collects sooner
 * and stays near 130 MB. Options given in `nodeArgs` come after these and win.
 */
export const HEAP_NODE_ARGS: Readonly<Partial<Record<ProcessRole, readonly string[]>>> = {
  api: ['--max-old-space-size=112', '--max-semi-space-size=8'],
  webhooks: ['--max-old-space-size=112', '--max-semi-space-size=8'],
  worker: ['--max-old-space-size=112', '--max-semi-space-size=8'],
};

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Applies migrations and creates the job queue's tables once, before any process starts, so N
 * processes never race to install the same schema.
 */
export async function prepareDatabase(databaseUrl: string, encryptionKey: string): Promise<void> {
  const secretBox = await loadSecretBox({ value: encryptionKey, production: true });
  const db = await openDatabase({ url: databaseUrl, embedded: false, migrate: true, secretBox });
  await db.close();
}

/**
 * The one place that decides a process is ready: the API, the webhook receiver and each worker
 * answer 200 on `/ready` (their database is reachable), the emulator on its health control.
 */
async function waitReady(
  proc: { role: ProcessRole; url: string; exitCode: () => number | null },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = proc.role === 'emulator' ? `${proc.url}/_emulator/health` : `${proc.url}/ready`;
  for (;;) {
    const code = proc.exitCode();
    if (code !== null) throw new Error(`${proc.role} exited with code ${code} before it was ready`);
    try {
      const answer = await fetch(probe, { signal: AbortSignal.timeout(1_000) });
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.role} did not become ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Spec {
  readonly name: string;
  readonly role: ProcessRole;
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
}

interface OwnedProcess extends ManagedProcess {
  start(): Promise<void>;
  closeLog(): void;
}

/** Children never outlive the launcher, whichever way it ends. */
const children = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
}

function managed(spec: Spec, options: ProcessesOptions): OwnedProcess {
  let child: ChildProcess | null = null;
  let exitCode: number | null = null;
  let exit: Promise<number | null> = Promise.resolve(null);
  let log: WriteStream | null = null;
  const output = options.output ?? 'inherit';
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  const spawnIt = () => {
    exitCode = null;
    const nodeArgs = [...(HEAP_NODE_ARGS[spec.role] ?? []), ...(options.nodeArgs?.[spec.role] ?? [])];
    const proc = spawn(process.execPath, [...nodeArgs, join(repoRoot, entryPoints[spec.role])], {
      cwd: repoRoot,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    track(proc);
    if (output !== 'inherit' && log === null) {
      log = createWriteStream(join(output.logDir, `${spec.name}.log`), { flags: 'a' });
    }
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (output === 'inherit') {
        for (const line of text.split('\n'))
          if (line !== '') process.stdout.write(`[${spec.name}] ${line}\n`);
      } else {
        log?.write(chunk);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    exit = new Promise((resolveExit) => {
      proc.once('exit', (code, signal) => {
        exitCode = code ?? (signal ? 128 : 1);
        log?.write(`--- exited: code ${code} signal ${signal}\n`);
        resolveExit(code);
      });
    });
  };

  const running = () => child !== null && exitCode === null;
  const ready = () => waitReady({ role: spec.role, url: spec.url, exitCode: () => exitCode }, readyTimeoutMs);

  const handle: OwnedProcess = {
    name: spec.name,
    role: spec.role,
    url: spec.url,
    pid: () => child?.pid,
    running,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!running()) return exitCode;
      child?.kill(signal);
      return exit;
    },
    exited: () => (running() ? exit : Promise.resolve(exitCode)),
    async start() {
      spawnIt();
      await ready();
    },
    async restart() {
      // Still running: an earlier start that did not answer in time (the database was down, say)
      // is given more time rather than started twice.
      if (!running()) spawnIt();
      await ready();
    },
    closeLog() {
      log?.end();
      log = null;
    },
  };
  return handle;
}

/** Starts the production shape; on failure everything already started is stopped again. */
export async function startProcesses(options: ProcessesOptions): Promise<RunningProcesses> {
  if (!Number.isInteger(options.workers) || options.workers < 1)
    throw new Error('workers must be at least 1');
  const host = options.host ?? '127.0.0.1';
  const apiPort = options.apiPort || (await freePort(host));
  const webhooksPort = options.webhooksPort || (await freePort(host));
  const apiUrl = `http://${host}:${apiPort}`;
  const webhooksUrl = `http://${host}:${webhooksPort}`;
  const workerPorts = await Promise.all(Array.from({ length: options.workers }, () => freePort(host)));
  const publicBaseUrl = options.publicBaseUrl ?? webhooksUrl;
  const common = { ...(options.env ?? {}) };
  const forRole = (role: ProcessRole) => ({ ...common, ...(options.roleEnv?.[role] ?? {}) });

  let emulator: OwnedProcess | null = null;
  let stripeApiBase = options.stripeApiBase;
  const started: OwnedProcess[] = [];
  const stopAll = async (timeoutMs = 15_000) => {
    const stopOne = async (p: ManagedProcess) => {
      if (!p.running()) return;
      const timer = setTimeout(() => void p.kill('SIGKILL'), timeoutMs);
      await p.kill('SIGTERM');
      clearTimeout(timer);
    };
    await Promise.all(started.filter((p) => p.role !== 'emulator').map(stopOne));
    if (emulator) await stopOne(emulator);
    for (const p of started) p.closeLog();
  };

  try {
    if (!stripeApiBase) {
      const port = options.emulatorPort || (await freePort(host));
      stripeApiBase = `http://${host}:${port}`;
      emulator = managed(
        {
          name: 'emulator',
          role: 'emulator',
          url: stripeApiBase,
          env: { ...forRole('emulator'), STRIPE_EMULATOR_PORT: String(port), STRIPE_EMULATOR_HOST: host },
        },
        options,
      );
      started.push(emulator);
      await emulator.start();
    }

    await prepareDatabase(options.databaseUrl, options.encryptionKey);

    const base = {
      DATABASE_URL: options.databaseUrl,
      ENCRYPTION_KEY: options.encryptionKey,
      WEBHOOK_SIGNING_PRIVATE_KEY: options.signingKeyPem,
      STRIPE_API_BASE: stripeApiBase,
      PUBLIC_BASE_URL: publicBaseUrl,
    };
    const specs: Spec[] = [
      {
        name: 'api',
        role: 'api',
        url: apiUrl,
        env: { ...base, ...forRole('api'), HOST: host, API_PORT: String(apiPort) },
      },
      {
        name: 'webhooks',
        role: 'webhooks',
        url: webhooksUrl,
        env: { ...base, ...forRole('webhooks'), HOST: host, WEBHOOKS_PORT: String(webhooksPort) },
      },
      ...workerPorts.map((port, i) => ({
        name: `worker-${i + 1}`,
        role: 'worker' as const,
        url: `http://${host}:${port}`,
        env: { ...base, API_URL: apiUrl, ...forRole('worker'), HOST: host, WORKER_HTTP_PORT: String(port) },
      })),
    ];
    const [api, webhooks, ...workers] = specs.map((s) => managed(s, options)) as [
      OwnedProcess,
      OwnedProcess,
      ...OwnedProcess[],
    ];
    started.push(api, webhooks, ...workers);
    await Promise.all([api, webhooks, ...workers].map((h) => h.start()));
    return {
      apiUrl,
      webhooksUrl,
      stripeApiBase,
      publicBaseUrl,
      api,
      webhooks,
      workers,
      emulator,
      all: started,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll(2_000);
    throw error;
  }
}
