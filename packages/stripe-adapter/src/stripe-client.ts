import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { parseStripeApiBase, type StripeEndpoint } from './client-options.js';
import { pacedHttpClient, type StripePacingOptions } from './pacing.js';

export interface StripeClientOptions {
  /** `STRIPE_API_BASE`, e.g. the emulator's `http://127.0.0.1:12111`; unset means Stripe itself. */
  readonly apiBase?: string;
  /** Or the endpoint already parsed (wins over `apiBase`). */
  readonly endpoint?: StripeEndpoint;
  /** Socket inactivity timeout per request. */
  readonly timeoutMs?: number;
  /** SDK retries of connection errors, 409 and 5xx, always with the same idempotency key. */
  readonly maxNetworkRetries?: number;
  /** Told of every HTTP response from Stripe, retried ones and 429s included (for metrics). */
  readonly onResponse?: (response: StripeResponseRecord) => void;
  /**
   * Each account's requests paced to its rate limit through a budget every process shares, so a
   * 429 is the exception rather than the throttle. Unset: unpaced.
   */
  readonly pacing?: StripePacingOptions;
}

export interface StripeResponseRecord {
  /** Method and path with ids replaced, e.g. `POST /v1/payment_intents/{id}/confirm`. */
  readonly operation: string;
  readonly status: number;
  readonly seconds: number;
}

/** An id segment (`pi_3Qx…`, `cus_N7…`) as opposed to a resource name (`payment_intents`). */
const ID_SEGMENT = /^[a-z]+_[A-Za-z0-9_]*[A-Z0-9][A-Za-z0-9_]*$/;

export function stripeOperation(method: string, path: string): string {
  const template = (path.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '{id}' : segment))
    .join('/');
  return `${method.toUpperCase()} ${template}`;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_NETWORK_RETRIES = 2;

export function createStripeClient(secretKey: string, options: StripeClientOptions = {}): Stripe {
  const endpoint = options.endpoint ?? parseStripeApiBase(options.apiBase);
  const httpClient = options.pacing ? pacedHttpClient(secretKey, options.pacing) : null;
  const client = new Stripe(secretKey, {
    ...(httpClient === null ? {} : { httpClient }),
    apiVersion: Stripe.API_VERSION,
    host: endpoint.host,
    port: endpoint.port,
    protocol: endpoint.protocol,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxNetworkRetries: options.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES,
    // Telemetry writes ~/.config/stripe/telemetry_id and adds a header: neither belongs in a server.
    telemetry: false,
    appInfo: { name: 'payrail' },
  });
  const { onResponse } = options;
  if (onResponse) {
    client.on('response', (event: Stripe.ResponseEvent) =>
      onResponse({
        operation: stripeOperation(event.method, event.path),
        status: event.status,
        seconds: event.elapsed / 1000,
      }),
    );
  }
  return client;
}

/**
 * One SDK client per secret key: each keeps its own keep-alive agent and settings. The least
 * recently used client is dropped past `maxClients`, so a long-running worker serving many
 * connections does not grow without bound.
 */
export class StripeClientCache {
  readonly #clients = new Map<string, Stripe>();

  constructor(
    private readonly options: StripeClientOptions,
    private readonly maxClients = 1_000,
  ) {}

  get(secretKey: string): Stripe {
    // Keyed by a digest so the map never holds a second copy of the key in plain text.
    const id = createHash('sha256').update(secretKey).digest('base64url');
    let client = this.#clients.get(id);
    if (client) {
      this.#clients.delete(id); // re-inserted below: Map order is the recency order
    } else {
      client = createStripeClient(secretKey, this.options);
    }
    this.#clients.set(id, client);
    if (this.#clients.size > this.maxClients) {
      const oldest = this.#clients.keys().next().value;
      if (oldest !== undefined) this.#clients.delete(oldest);
    }
    return client;
  }

  get size(): number {
    return this.#clients.size;
  }
}
