import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, Socket } from 'node:net';
import pg from 'pg';
import { quoteIdent } from '../sql/quote.js';

/**
 * A TCP proxy in front of PostgreSQL: `stop()` cuts every connection and refuses new ones (the
 * database "goes away" for the processes behind it), `start()` lets them in again on the same port.
 */
export interface TcpProxy {
  /** The database URL with host and port replaced by the proxy's. */
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startTcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<Socket>();
  const makeServer = () =>
    createServer((client) => {
      const upstream = new Socket();
      upstream.connect(targetPort, target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  let server: Server = makeServer();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async start() {
      server = makeServer();
      await listen(port);
    },
  };
}

/** A schema name nobody uses yet, and a way to drop it and its job schema afterwards. */
export function freshSchema(url: string, prefix = 'p'): { name: string; drop(): Promise<void> } {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  return {
    name,
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${quoteIdent(name)} cascade`);
        await client.query(`drop schema if exists ${quoteIdent(`${name}_jobs`)} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A Payrail process started as a real child (`node apps/<app>/dist/main.js`). */
export interface ChildService {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once it exits by itself. */
  exited(): Promise<number | null>;
}

export function spawnService(
  script: string,
  env: Readonly<Record<string, string>>,
  args: readonly string[] = [],
): ChildService {
  const child = spawn(process.execPath, [script, ...args], {
    // Only what the test passes, plus PATH: the test runner's own DATABASE_URL must not leak in.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    output: () => out,
    exited: () => exit,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}

/**
 * Polls `url` until `accept` holds for its response, or fails after `timeoutMs` with the last
 * status and the process's output.
 */
export async function waitForHttp(
  url: string,
  accept: (status: number, body: string) => boolean,
  options: { readonly timeoutMs?: number; readonly service?: ChildService } = {},
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last = 'no answer yet';
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (accept(res.status, body)) return { status: res.status, body };
      last = `${res.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (options.service && options.service.child.exitCode !== null) {
      throw new Error(`the process exited (${options.service.child.exitCode}):\n${options.service.output()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url}: still ${last} after the timeout\n${options.service?.output() ?? ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port free right now on 127.0.0.1 (the child binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Names in the migrator's table of `schema`, in the order they ran. */
export async function appliedMigrationNames(url: string, schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select name from ${quoteIdent(schema)}."mikro_orm_migrations" order by id`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/** Polls `url` until connecting fails (the server stopped accepting), or throws after `timeoutMs`. */
export async function waitUntilRefused(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`${url} still accepts connections`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
