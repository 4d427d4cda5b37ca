/**
 * `startEmulator`: one node:http server for the Stripe API (`/v1`), the hosted checkout pages
 * (`/checkout/…`) and the test controls (`/_emulator/…`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCheckoutPage } from './checkout/page.js';
import { type EmulatorControls, emulatorControls } from './controls/client.js';
import { handleControls } from './controls/handler.js';
import { Emulator, type KeyMode } from './emulator.js';
import { handleApi } from './http/api.js';
import { FaultInjector } from './http/faults.js';
import { RateLimiter } from './http/rate-limit.js';
import { send } from './http/respond.js';
import { apiRoutes } from './http/routes.js';
import { StateFile } from './persistence/state-file.js';
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
  /**
   * Keep the state in this JSON file: loaded at start when it exists, saved atomically about a
   * second after changes and on `stop()`. Unusable files are moved aside to `<file>.corrupt-<time>`.
   */
  stateFile?: string;
  /**
   * `any` (default): every well-formed `sk_test_…` key is valid and opens its own account.
   * `registered`: only keys registered with `controls.registerKey` are valid; any other key gets
   * Stripe's 401, as a key the account never issued does.
   */
  keys?: KeyMode;
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
  const emu = new Emulator(options.webhookRetry, options.keys ?? 'any');
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter();
  const deps = { emu, router: apiRoutes(), faults, rateLimiter };
  const stateFile = options.stateFile ? new StateFile(options.stateFile, emu) : null;
  await stateFile?.load();
  // Only with a state file: mark the state changed once a request that may change it has finished.
  const touch = stateFile ? () => emu.touch() : null;
  const track = (req: http.IncomingMessage, handled: Promise<void>): void => {
    if (touch && req.method !== 'GET' && req.method !== 'HEAD') void handled.then(touch);
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path.startsWith('/v1/')) {
      track(
        req,
        handleApi(deps, req, res, path, query).catch((err) => fail(res, err)),
      );
      return;
    }
    if (path.startsWith('/checkout/')) {
      track(
        req,
        handleCheckoutPage(emu, req, res, path).catch((err) => fail(res, err)),
      );
      return;
    }
    if (path.startsWith('/_emulator/')) {
      track(
        req,
        handleControls(deps, req, res, path).catch((err) => fail(res, err)),
      );
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
  const ticker = options.realTimeClock
    ? setInterval(() => {
        if (emu.clock.runDue() > 0) emu.touch();
      }, 1000)
    : null;
  ticker?.unref();
  stateFile?.start();

  return {
    url,
    port,
    controls: emulatorControls(url),
    emulator: emu,
    faults,
    rateLimiter,
    stop: async () => {
      if (ticker) clearInterval(ticker);
      emu.webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // After the server is closed, so no request changes the state behind the last save.
      await stateFile?.stop();
    },
  };
}
