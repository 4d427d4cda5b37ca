/**
 * What the chaos driver puts between the parts: a TCP proxy in front of PostgreSQL it can cut, an
 * HTTP proxy in front of the webhook receiver that drops deliveries and records statuses, and the
 * merchant's receiver of outgoing webhooks, which it can take down.
 */
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type IncomingMessage,
  request,
} from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Window {
  readonly from: number;
  to: number;
}

function listenOn(server: Server | HttpServer, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Forwards TCP to PostgreSQL. `cut(ms)` drops every connection and refuses new ones for `ms`. */
export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #downUntil = 0;
  port = 0;
  readonly outages: Window[] = [];

  constructor(
    private readonly target: { host: string; port: number },
    private readonly host = '127.0.0.1',
  ) {
    this.#server = createServer((client) => {
      if (Date.now() < this.#downUntil) {
        client.destroy();
        return;
      }
      const upstream = createConnection(this.target);
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async start(): Promise<string> {
    this.port = await listenOn(this.#server, this.host);
    return `${this.host}:${this.port}`;
  }

  /** Every open connection is reset at once (a restart); new ones are refused for `ms`. */
  cut(ms: number): Window {
    const window = { from: Date.now(), to: Date.now() + ms };
    this.#downUntil = window.to;
    this.outages.push(window);
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    return window;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await closeServer(this.#server);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ForwardedDelivery {
  readonly eventId: string;
  readonly status: number;
  readonly at: number;
}

/**
 * Stripe -> (this proxy) -> webhook receiver. A dropped delivery is answered 200 here and never
 * reaches the receiver: Stripe counts it as delivered, Payrail never hears of it.
 */
export class WebhookProxy {
  readonly #server: HttpServer;
  port = 0;
  dropChance = 0;
  dropped = 0;
  readonly forwarded: ForwardedDelivery[] = [];
  readonly droppedEventIds = new Set<string>();

  constructor(
    private readonly target: () => string,
    private readonly random: () => number,
    private readonly host = '127.0.0.1',
  ) {
    this.#server = createHttpServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const eventId = /"id":\s*"(evt_[^"]+)"/.exec(body.toString('utf8'))?.[1] ?? 'unknown';
        if (this.dropChance > 0 && this.random() < this.dropChance) {
          this.dropped += 1;
          this.droppedEventIds.add(eventId);
          res.writeHead(200).end('{}');
          return;
        }
        const url = new URL(req.url ?? '/', this.target());
        const upstream = request(
          url,
          { method: req.method, headers: { ...req.headers, host: url.host }, timeout: 30_000 },
          (answer) => {
            this.forwarded.push({ eventId, status: answer.statusCode ?? 0, at: Date.now() });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => {
          // The receiver is down (killed): Stripe sees a failed attempt and retries.
          if (!res.headersSent) res.writeHead(502).end();
        });
        upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
        upstream.end(body);
      })();
    });
  }

  async start(): Promise<string> {
    this.port = await listenOn(this.#server, this.host);
    return `http://${this.host}:${this.port}`;
  }

  async stop(): Promise<void> {
    (this.#server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closeServer(this.#server);
  }
}

/** The merchant's endpoint for outgoing webhooks; answers 503 while down. */
export class MerchantReceiver {
  readonly #server: HttpServer;
  port = 0;
  down = false;
  readonly downWindows: Window[] = [];
  /** `X-Lago-Unique-Key` of every webhook accepted (answered 200), with how often it came. */
  readonly received = new Map<string, number>();
  refused = 0;

  constructor(private readonly host = '127.0.0.1') {
    this.#server = createHttpServer((req, res) => {
      void readBody(req).then(() => {
        if (this.down) {
          this.refused += 1;
          res.writeHead(503).end();
          return;
        }
        const key = String(req.headers['x-lago-unique-key'] ?? '');
        this.received.set(key, (this.received.get(key) ?? 0) + 1);
        res.writeHead(200).end();
      });
    });
  }

  async start(): Promise<string> {
    this.port = await listenOn(this.#server, this.host);
    return `http://${this.host}:${this.port}/payrail`;
  }

  goDown(): void {
    if (this.down) return;
    this.down = true;
    this.downWindows.push({ from: Date.now(), to: Number.POSITIVE_INFINITY });
  }

  comeBack(): void {
    if (!this.down) return;
    this.down = false;
    const last = this.downWindows.at(-1);
    if (last) last.to = Date.now();
  }

  async stop(): Promise<void> {
    (this.#server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closeServer(this.#server);
  }
}
