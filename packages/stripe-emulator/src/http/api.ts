/**
 * The `/v1` pipeline, in Stripe's order: authentication, rate limit, injected faults, parameter
 * decoding, idempotency, then the handler. Errors before the idempotency layer are never saved.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account, IdempotencyEntry } from '../account.js';
import type { Ctx, Reply } from '../context.js';
import type { Emulator } from '../emulator.js';
import {
  ApiError,
  apiError,
  authenticationError,
  invalidRequest,
  lockTimeout,
  notFoundRoute,
  rateLimited,
} from '../errors.js';
import { API_VERSION } from '../events.js';
import { decodeForm, FormDecodeError } from '../form.js';
import { newId } from '../ids.js';
import { assertPermitted, authenticate, maskKey } from './auth.js';
import type { ActiveFault, FaultInjector } from './faults.js';
import type { RateLimiter } from './rate-limit.js';
import { BodyTooLargeError, readBody, send } from './respond.js';
import type { Router } from './router.js';

export interface ApiDeps {
  emu: Emulator;
  router: Router;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
}

interface Outcome {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** A 400 raised after the request changed something: saved for replay like a success. */
  executed?: boolean;
}

function errorOutcome(err: unknown): Outcome {
  if (err instanceof BodyTooLargeError) return errorOutcome(invalidRequest(err.message, { status: 413 }));
  const e = err instanceof ApiError ? err : apiError('An unexpected error occurred in the emulator.');
  if (!(err instanceof ApiError)) console.error('[stripe-emulator] handler failed', err);
  return {
    status: e.status,
    body: JSON.stringify({ error: e.body }),
    headers: { ...e.headers },
    executed: e.executed,
  };
}

function fingerprintOf(method: string, path: string, raw: string): string {
  return `${method} ${path}\n${raw}`;
}

const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function handleApi(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
) {
  const method = req.method ?? 'GET';
  const requestId = newId('req', 14);
  const version = (req.headers['stripe-version'] as string | undefined) ?? API_VERSION;
  const base: Record<string, string> = { 'Request-Id': requestId, 'Stripe-Version': version };
  const finish = (o: Outcome) => send(res, o.status, o.body, { ...base, ...o.headers });

  let account: Account;
  let fault: ActiveFault | undefined;
  let raw: string;
  try {
    const apiKey = authenticate(req.headers.authorization);
    if (!deps.emu.accepts(apiKey)) throw authenticationError(`Invalid API Key provided: ${maskKey(apiKey)}`);
    if (!VERSION_FORMAT.test(version))
      throw invalidRequest(`Invalid Stripe API version: ${version}`, { param: 'Stripe-Version' });
    if (!deps.rateLimiter.take(apiKey)) throw rateLimited('global-rate');
    assertPermitted(apiKey, method, path);
    account = deps.emu.account(apiKey);
    fault = deps.faults.take(method, path, apiKey);
    if (fault) {
      switch (fault.kind) {
        case 'rate_limit':
          throw rateLimited('endpoint-rate');
        case 'lock_timeout':
          throw lockTimeout();
        case 'conflict':
          throw new ApiError(409, {
            type: 'invalid_request_error',
            message: 'There was a conflict with another request on this object. Retry the request.',
          });
        case 'server_error':
          throw apiError('An error occurred with our connection to Stripe. (injected fault)');
        case 'reset':
          req.socket.destroy();
          return;
        default:
          break;
      }
    }
    raw = method === 'POST' ? await readBody(req) : query;
  } catch (err) {
    finish(errorOutcome(err));
    return;
  }

  const idemKey = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
  if (idemKey !== undefined) base['Idempotency-Key'] = idemKey;
  let entry: IdempotencyEntry | undefined;
  const storeKey = idemKey ?? '';
  try {
    if (idemKey !== undefined) {
      if (idemKey.length > 255)
        throw invalidRequest(
          `Idempotency key length is ${idemKey.length} characters, which is longer than the maximum of 255.`,
          { param: 'Idempotency-Key' },
        );
      const fp = fingerprintOf(method, path, raw);
      const existing = account.idempotency.get(storeKey);
      if (existing) {
        if (existing.fingerprint !== fp)
          throw new ApiError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
          });
        if (existing.inFlight)
          throw invalidRequest(
            'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.',
            { code: 'idempotency_key_in_use', status: 409 },
          );
        send(res, existing.status, existing.body, {
          ...base,
          'Idempotent-Replayed': 'true',
          'Original-Request': existing.requestId,
        });
        return;
      }
    }
  } catch (err) {
    finish(errorOutcome(err));
    return;
  }

  let outcome: Outcome;
  try {
    let params: ReturnType<typeof decodeForm>;
    try {
      params = decodeForm(raw);
    } catch (err) {
      if (err instanceof FormDecodeError || err instanceof URIError)
        throw invalidRequest(`Invalid request body: ${(err as Error).message}`);
      throw err;
    }
    const route = deps.router.match(method, path);
    if (!route) throw notFoundRoute(method, path);
    if (idemKey !== undefined) {
      entry = {
        fingerprint: fingerprintOf(method, path, raw),
        requestId,
        inFlight: true,
        status: 0,
        body: '',
      };
      account.idempotency.set(storeKey, entry);
    }
    if (fault?.kind === 'latency') await sleep(fault.latencyMs);
    const ctx: Ctx = {
      emu: deps.emu,
      account,
      params,
      source: { requestId, idempotencyKey: idemKey ?? null },
    };
    const reply: Reply = route.handler(ctx, ...route.ids);
    outcome = { status: reply.status ?? 200, body: JSON.stringify(reply.body), headers: {} };
  } catch (err) {
    outcome = errorOutcome(err);
  }
  if (entry) {
    // Requests rejected as invalid never ran, so Stripe does not keep their result.
    if (outcome.status === 400 && !outcome.executed) account.idempotency.delete(storeKey);
    else Object.assign(entry, { inFlight: false, status: outcome.status, body: outcome.body });
  }
  if (fault?.kind === 'reset_after_commit') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'server_error_after_commit') {
    finish(
      errorOutcome(
        apiError('An error occurred with our connection to Stripe. (injected fault after commit)'),
      ),
    );
    return;
  }
  finish(outcome);
}
