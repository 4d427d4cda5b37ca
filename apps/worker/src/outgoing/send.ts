import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  checkWebhookTarget,
  type DeliveryFailure,
  type PrivateTargetKind,
  type ResolvedAddress,
  type Resolver,
} from '@payrail/lago-wire';
import { systemResolver } from '../adapters/system-resolver.js';

export interface SendResult {
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  readonly error: DeliveryFailure | null;
  readonly durationMs: number;
  /** For the operator's log only, never stored: the underlying error's code. */
  readonly detail: string | null;
}

export interface SendOptions {
  readonly timeoutMs: number;
  /** Private classes this deployment delivers to (`WEBHOOK_ALLOW_PRIVATE_TARGETS`); none by default. */
  readonly allowPrivate: readonly PrivateTargetKind[];
  /** `getaddrinfo` by default; tests hand in their own names. */
  readonly resolve?: Resolver;
  /** The job's signal: the worker is stopping. */
  readonly signal?: AbortSignal;
}

/** Lago counts exactly these as delivered. */
const SUCCESS = new Set([200, 201, 202, 204]);

/**
 * One POST; never throws. The host is resolved once and every address it has is checked against
 * the target policy; the connection then goes to one of those addresses and to nothing else (the
 * socket's lookup answers from the checked list), so a name that changes between the check and
 * the connection changes nothing. The URL keeps its host name: it is the Host header and the TLS
 * server name. Redirects are not followed (a 3xx is a failed attempt), and the reply's body is
 * never read: only its status counts.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const result = (fields: Partial<SendResult>): SendResult => ({
    succeeded: false,
    httpStatus: null,
    error: null,
    detail: null,
    ...fields,
    durationMs: Math.round(performance.now() - started),
  });
  const failure = (error: unknown): SendResult =>
    result({
      error: timeout.aborted ? 'timeout' : options.signal?.aborted ? 'cancelled' : 'connection_failed',
      detail: codeOf(error),
    });

  let target: Awaited<ReturnType<typeof checkWebhookTarget>>;
  try {
    target = await untilAborted(
      checkWebhookTarget(url, options.allowPrivate, options.resolve ?? systemResolver),
      signal,
    );
  } catch (error) {
    return failure(error);
  }
  if (!target.ok) {
    return target.reason === 'unresolved'
      ? result({ error: 'connection_failed', detail: 'unresolved' })
      : result({ error: 'refused_target', detail: target.reason });
  }
  try {
    const status = await post(target.url, target.addresses, body, headers, signal);
    return result({ succeeded: SUCCESS.has(status), httpStatus: status });
  } catch (error) {
    return failure(error);
  }
}

function post(
  url: URL,
  addresses: readonly ResolvedAddress[],
  body: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'User-Agent': 'Payrail-Webhooks',
          'Content-Length': String(Buffer.byteLength(body)),
          ...headers,
        },
        // A fresh connection per attempt: no pooled socket outlives the check it was made under.
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A socket lookup that answers only from the addresses already checked. */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => family === undefined || a.family === family);
    const first = usable[0];
    if (first === undefined) {
      const error = Object.assign(new Error(`no checked address for ${hostname}`), { code: 'ENOTFOUND' });
      callback(error, '', 0);
      return;
    }
    if (options.all) {
      callback(
        null,
        usable.map((a): LookupAddress => ({ address: a.address, family: a.family })),
      );
      return;
    }
    callback(null, first.address, first.family);
  };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function codeOf(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.name === 'string') return e.name;
  return 'unknown';
}
