/**
 * What the hostile-tenant tests run against: the whole system on real HTTP ports over a clean
 * PostgreSQL schema, two organizations, a receiver for each one's outgoing webhooks, and a record
 * of everything that could carry a secret out: every log line (the apps' logger, the console and
 * the process's own stdout/stderr) and every response the tests received.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapOrganization } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { createLogger, DEFAULT_QUEUES, SecretBox } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { type EmulatorControls, emulatorControls } from '@payrail/stripe-emulator';
import { DEFAULT_WORKER_SETTINGS } from '@payrail/worker';
import Stripe from 'stripe';
import { type RunningSystem, startSystem } from '../../src/system.js';

export interface Exchange {
  readonly method: string;
  readonly url: string;
  /** What was sent: URL, headers and body, for telling an echo from a leak. */
  readonly request: string;
  readonly status: number;
  readonly text: string;
  readonly headers: string;
  /** The bearer token the request carried. */
  readonly caller: string | null;
}

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly json: any;
}

export interface Organization {
  readonly organizationId: string;
  readonly apiKey: string;
  readonly name: string;
  /** Where this organization's outgoing webhooks arrive. */
  readonly receiverUrl: string;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Sent as is (bad JSON, odd encodings). */
  readonly raw?: string | Uint8Array;
  readonly headers?: Record<string, string>;
  /** Default `application/json` when there is a body; `null` sends none. */
  readonly contentType?: string | null;
}

export interface SecuritySystem {
  readonly system: RunningSystem;
  readonly database: TestDatabase;
  readonly controls: EmulatorControls;
  readonly a: Organization;
  readonly b: Organization;
  /** Every log line written while the system ran. */
  readonly logs: string[];
  /** Every response the tests received from the API and the webhook receiver. */
  readonly exchanges: Exchange[];
  /** Every outgoing webhook body the organizations' receivers got. */
  readonly outgoing: string[];
  /** Secret values by name: none may appear in a log line or a response. */
  readonly secrets: Map<string, string>;
  /**
   * HMAC keys the API showed an organization (`GET /organizations/hmac_key`, its rotation), with the
   * API key that asked: the one place a secret is meant to be in a response.
   */
  readonly shownHmacKeys: Map<string, string>;
  /** `/api/v1{path}` with `key` as the bearer token (`null`: none). */
  call(key: string | null, method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** A POST to the Stripe webhook receiver, recorded like an API call. */
  postStripeEvent(path: string, payload: string, headers: Record<string, string>): Promise<Reply>;
  stripe(secretKey: string): Stripe;
  /**
   * Waits until the worker has nothing queued, retrying or running; with `deliveries: false`,
   * outgoing webhooks retrying against receivers that do not answer are not waited for.
   */
  idle(options?: { timeoutMs?: number; deliveries?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Where Lago shows an organization its own HMAC key. */
export const HMAC_ROUTE = /^\/api\/v1\/organizations\/hmac_key(\/rotate)?$/;

/** The console and the process's streams, copied into `into` (and still written). */
function captureOutput(into: string[]): () => void {
  const restore: Array<() => void> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      into.push(args.map((a) => (typeof a === 'string' ? a : inspectable(a))).join(' '));
      original(...args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
  return () => {
    for (const undo of restore.reverse()) undo();
  };
}

function requestText(url: string, init: RequestInit): string {
  const body = init.body;
  const text =
    typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : '';
  return `${url}\n${JSON.stringify(init.headers ?? {})}\n${text}`;
}

function inspectable(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function listen(onBody: (body: string) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      onBody(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

export async function startSecuritySystem(): Promise<SecuritySystem> {
  const logs: string[] = [];
  const exchanges: Exchange[] = [];
  const outgoing: string[] = [];
  const secrets = new Map<string, string>();
  const shownHmacKeys = new Map<string, string>();
  const stopCapture = captureOutput(logs);

  const encryptionKey = randomBytes(32);
  secrets.set('ENCRYPTION_KEY (hex)', encryptionKey.toString('hex'));
  secrets.set('ENCRYPTION_KEY (base64)', encryptionKey.toString('base64'));
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  // Any line of the key's body is enough to give it away.
  secrets.set('webhook signing private key', pem.split('\n')[1] ?? pem);

  const database = await createTestDatabase({ prefix: 'tenancy', secretBox: new SecretBox(encryptionKey) });
  const system = await startSystem({
    host: '127.0.0.1',
    apiPort: 0,
    webhooksPort: 0,
    emulatorPort: 0,
    database,
    signingKey: WebhookSigningKey.fromText(pem),
    logger: createLogger({ service: 'payrail', level: 'debug', write: (line) => logs.push(line) }),
    // The organizations' webhook receivers below listen on loopback, which production refuses.
    allowPrivateWebhookTargets: ['loopback'],
    worker: {
      // No sweep during the run: an organization's rows change only through what the tests do.
      reconcile: { ...DEFAULT_WORKER_SETTINGS.reconcile, cron: '0 0 1 1 *' },
      // Events that name an object by our metadata but find none are parked after one retry.
      notFoundAttempts: 2,
      webhookTimeoutMs: 5_000,
    },
  });

  const receivers: Server[] = [];
  const organization = async (name: string): Promise<Organization> => {
    const org = await bootstrapOrganization(database.organizations, { name });
    secrets.set(`API key of ${name}`, org.apiKey);
    const receiver = await listen((body) => outgoing.push(body));
    receivers.push(receiver.server);
    return {
      organizationId: org.organizationId,
      apiKey: org.apiKey,
      name,
      receiverUrl: `${receiver.url}/${name.toLowerCase().replace(/\W+/g, '-')}`,
    };
  };
  const suffix = randomBytes(3).toString('hex');
  const a = await organization(`Alpha Tenant ${suffix}`);
  const b = await organization(`Bravo Tenant ${suffix}`);

  const record = async (
    method: string,
    url: string,
    init: RequestInit,
    caller: string | null,
  ): Promise<Reply> => {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, method });
      text = await response.text();
    } catch (error) {
      // No answer at all (a reset connection): status 0, for the caller to count.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      text = `no reply: ${cause?.code ?? cause?.message ?? String(error)}`;
      exchanges.push({
        method,
        url,
        request: requestText(url, init),
        status: 0,
        text,
        headers: '[]',
        caller,
      });
      return { status: 0, text, json: undefined };
    }
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = undefined;
    }
    exchanges.push({
      method,
      url,
      request: requestText(url, init),
      status: response.status,
      text,
      headers: JSON.stringify([...response.headers]),
      caller,
    });
    const hmacKey = (json as { hmac_key?: unknown } | null)?.hmac_key;
    if (HMAC_ROUTE.test(new URL(url).pathname) && response.status === 200 && typeof hmacKey === 'string') {
      const label = caller === a.apiKey ? 'A' : caller === b.apiKey ? 'B' : 'another organization';
      if (![...secrets.values()].includes(hmacKey))
        secrets.set(`HMAC key of ${label} #${secrets.size}`, hmacKey);
      if (caller !== null) shownHmacKeys.set(hmacKey, caller);
    }
    return { status: response.status, text, json };
  };

  const emulatorUrl = new URL(system.stripeApiBase);
  const clients = new Map<string, Stripe>();
  return {
    system,
    database,
    controls: emulatorControls(system.stripeApiBase),
    a,
    b,
    logs,
    exchanges,
    outgoing,
    secrets,
    shownHmacKeys,
    call(key, method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
      if (body !== undefined && contentType !== null) headers['content-type'] = contentType;
      return record(
        method,
        `${system.apiUrl}/api/v1${path}`,
        { headers, ...(body === undefined ? {} : { body }) },
        key,
      );
    },
    postStripeEvent(path, payload, headers) {
      return record(
        'POST',
        `${system.webhooksUrl}${path}`,
        { headers: { 'content-type': 'application/json', ...headers }, body: payload },
        null,
      );
    },
    stripe(secretKey) {
      let client = clients.get(secretKey);
      if (!client) {
        client = new Stripe(secretKey, {
          host: emulatorUrl.hostname,
          port: Number(emulatorUrl.port),
          protocol: 'http',
          telemetry: false,
          maxNetworkRetries: 0,
        });
        clients.set(secretKey, client);
      }
      return client;
    },
    async idle(options = {}) {
      const names = DEFAULT_QUEUES.map((q) => q.name).filter(
        (name) => options.deliveries !== false || name !== 'webhook.deliver',
      );
      try {
        await database.queue.drain(names, options.timeoutMs ?? 45_000);
      } catch (error) {
        const pending = await database.orm.em
          .fork()
          .execute(
            `select name, state, retry_count, output from "${database.schema}_jobs".job where name = any(?) and state in ('created', 'retry', 'active')`,
            [names],
          );
        throw new Error(`${(error as Error).message}: ${JSON.stringify(pending).slice(0, 2000)}`);
      }
    },
    async stop() {
      try {
        await system.stop();
        await Promise.all(receivers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
        await database.dispose();
      } finally {
        stopCapture();
      }
    },
  };
}
