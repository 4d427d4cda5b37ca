/**
 * `startEmulator`: one node:http server for the Stripe API (`/v1`), the hosted checkout pages
 * (`/checkout/…`) and the test controls (`/_emulator/…`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCheckoutPage } from './checkout/page.js';
import { type EmulatorControls, emulatorControls } from './controls/client.js';
import { handleControls } from './controls/handler.js';
import { Emulator } from './emulator.js';
import { handleApi } from './http/api.js';
import { FaultInjector } from './http/faults.js';
import { RateLimiter } from './http/rate-limit.js';
import { send } from './http/respond.js';
import { apiRoutes } from './http/routes.js';
import type { WebhookRetryOptions } from './webhooks/dispatcher.js';

export interface EmulatorOptions {
  /** Default 12111; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URL put into hosted checkout links when the emulator is reached through another address. */
  publicUrl?: string;
  webhookRetry?: WebhookRetryOptions;
  /**
   * Also run delayed outcomes when wall-clock time reaches them (checked every second), for
   * interactive use. Off by default: tests move time with `advanceClock`.
   */
  realTimeClock?: boolean;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** The typed test-control client, bound to `url`. */
  controls: EmulatorControls;
  /** The in-process state, for tests that want to look inside. */
  emulator: Emulator;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  stop(): Promise<void>;
}

function fail(res: http.ServerResponse, err: unknown): void {
  console.error('[stripe-emulator] request failed', err);
  send(
    res,
    500,
    JSON.stringify({ error: { type: 'api_error', message: 'The emulator failed to handle this request.' } }),
    {},
  );
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const emu = new Emulator(options.webhookRetry);
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter();
  const deps = { emu, router: apiRoutes(), faults, rateLimiter };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path.startsWith('/v1/')) {
      void handleApi(deps, req, res, path, query).catch((err) => fail(res, err));
      return;
    }
    if (path.startsWith('/checkout/')) {
      void handleCheckoutPage(emu, req, res, path).catch((err) => fail(res, err));
      return;
    }
    if (path.startsWith('/_emulator/')) {
      void handleControls(deps, req, res, path).catch((err) => fail(res, err));
      return;
    }
    send(
      res,
      404,
      JSON.stringify({
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${req.method}: ${path}).`,
        },
      }),
      {},
    );
  });
  // Longer than any client's idle keep-alive, so the server never closes a socket the SDK is reusing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 12111, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emu.baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? url;
  const ticker = options.realTimeClock ? setInterval(() => emu.clock.runDue(), 1000) : null;
  ticker?.unref();

  return {
    url,
    port,
    controls: emulatorControls(url),
    emulator: emu,
    faults,
    rateLimiter,
    stop: () =>
      new Promise<void>((resolve) => {
        if (ticker) clearInterval(ticker);
        emu.webhooks.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
