/**
 * Test controls under `/_emulator/…` (JSON in, JSON out, no API key). Documented in the README;
 * `emulatorControls(url)` is the typed client for them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Account, accountIdOf } from '../account.js';
import { escapeHtml, page } from '../checkout/html.js';
import { systemCtx } from '../context.js';
import type { Emulator } from '../emulator.js';
import { ApiError } from '../errors.js';
import { decodeForm } from '../form.js';
import { maskKey, refusedByForm } from '../http/auth.js';
import { FAULT_KINDS, type FaultInjector, type FaultSpec } from '../http/faults.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { readBody, safeDecode, send } from '../http/respond.js';
import { INSTRUMENTS, instrumentById } from '../instruments.js';
import { completeSession } from '../resources/checkout-sessions.js';
import { closeDispute } from '../resources/disputes.js';
import { authenticatePaymentIntent } from '../resources/payment-attempts.js';
import { authenticateSetupIntent } from '../resources/setup-intents.js';
import type { ReleaseOrder } from '../webhooks/dispatcher.js';

export interface ControlDeps {
  emu: Emulator;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function owner(emu: Emulator, id: string): Account {
  const account = emu.owners.get(id);
  if (!account) throw new ControlError(404, `No such object: ${id}`);
  return account;
}

function num(body: Json, key: string, fallback?: number): number {
  const v = body[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ControlError(400, `${key} must be a number`);
  return v;
}

/** Runs an action that may fail the way the API does (e.g. a decline), reporting the error as data. */
function attempt(fn: () => void): { error: ApiError['body'] | null } {
  try {
    fn();
    return { error: null };
  } catch (err) {
    if (err instanceof ApiError) return { error: err.body };
    throw err;
  }
}

function authenticate(emu: Emulator, id: string, success: boolean) {
  const account = owner(emu, id);
  const ctx = systemCtx(emu, account);
  const pi = account.paymentIntents.get(id);
  if (pi) {
    const { error } = attempt(() => authenticatePaymentIntent(ctx, pi, success));
    if (error && error.type !== 'card_error') throw new ControlError(400, error.message);
    return { object: pi, error };
  }
  const si = account.setupIntents.get(id);
  if (!si) throw new ControlError(404, `No such payment or setup intent: ${id}`);
  const { error } = attempt(() => authenticateSetupIntent(ctx, si, success));
  if (error && error.type !== 'card_error') throw new ControlError(400, error.message);
  return { object: si, error };
}

/** Where each control path carries an object id. */
const ID_POSITION: Record<string, number> = {
  intents: 1,
  disputes: 1,
  mandates: 1,
  checkout: 2,
  webhooks: 2,
};

function pattern(parts: string[]): { key: string; id: string } {
  const at = ID_POSITION[parts[0] ?? ''];
  if (at === undefined || parts.length <= at) return { key: parts.join('/'), id: '' };
  const id = parts[at] as string;
  return { key: [...parts.slice(0, at), ':id', ...parts.slice(at + 1)].join('/'), id };
}

function route(deps: ControlDeps, method: string, parts: string[], body: Json): unknown {
  const { emu } = deps;
  const { key, id } = pattern(parts);
  switch (`${method} ${key}`) {
    case 'GET health':
      return { ok: true };
    case 'POST reset':
      emu.reset();
      deps.faults.clear();
      deps.rateLimiter.configure({ perSecond: null });
      return { ok: true };
    case 'GET clock':
      return {
        now: emu.clock.now(),
        offsetSeconds: emu.clock.offsetSeconds(),
        pendingTasks: emu.clock.pendingTasks(),
      };
    case 'POST clock/advance': {
      const seconds = num(body, 'seconds');
      if (seconds < 0) throw new ControlError(400, 'seconds must not be negative');
      const ran = emu.clock.advance(Math.floor(seconds));
      return { now: emu.clock.now(), offsetSeconds: emu.clock.offsetSeconds(), ran };
    }
    case 'GET faults':
      return { data: deps.faults.list() };
    case 'POST faults': {
      const kind = body.kind;
      if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind))
        throw new ControlError(400, `kind must be one of ${FAULT_KINDS.join(', ')}`);
      const spec: FaultSpec = { kind: kind as FaultSpec['kind'] };
      if (typeof body.method === 'string') spec.method = body.method;
      if (typeof body.path === 'string') spec.path = body.path;
      if (typeof body.apiKey === 'string') spec.apiKey = body.apiKey;
      if (body.count !== undefined) spec.count = num(body, 'count');
      if (body.latencyMs !== undefined) spec.latencyMs = num(body, 'latencyMs');
      return deps.faults.add(spec);
    }
    case 'DELETE faults':
      deps.faults.clear();
      return { ok: true };
    case 'GET rate_limit':
      return deps.rateLimiter.settings();
    case 'POST rate_limit': {
      const perSecond = body.perSecond === null ? null : num(body, 'perSecond');
      const burst = body.burst === undefined ? undefined : num(body, 'burst');
      deps.rateLimiter.configure(burst === undefined ? { perSecond } : { perSecond, burst });
      return deps.rateLimiter.settings();
    }
    case 'GET webhooks/deliveries':
      return { data: emu.webhooks.list() };
    case 'GET webhooks/idle':
      return { idle: emu.webhooks.idle() };
    case 'POST webhooks/hold':
      emu.webhooks.hold();
      return { held: true };
    case 'POST webhooks/release': {
      const order = (body.order ?? 'fifo') as ReleaseOrder;
      if (!['fifo', 'reverse', 'shuffle'].includes(order))
        throw new ControlError(400, 'order must be fifo, reverse or shuffle');
      return { released: emu.webhooks.release(order) };
    }
    case 'POST webhooks/duplicate':
      emu.webhooks.duplicateNext(num(body, 'count', 1));
      return { ok: true };
    case 'POST webhooks/deliveries/:id/replay': {
      const delivery = emu.webhooks.replay(id);
      if (!delivery) throw new ControlError(404, `No such delivery: ${id}`);
      return delivery;
    }
    case 'GET keys':
      return { mode: emu.keyMode, registered: emu.registeredKeys.size, revoked: emu.revokedKeys.size };
    case 'POST keys': {
      const apiKey = body.apiKey;
      if (typeof apiKey !== 'string' || apiKey === '') throw new ControlError(400, 'apiKey is required');
      const refused = refusedByForm(apiKey);
      if (refused) throw new ControlError(400, `${maskKey(apiKey)} cannot be registered: ${refused}`);
      if (emu.revokedKeys.has(accountIdOf(apiKey)))
        throw new ControlError(409, `${maskKey(apiKey)} was revoked; a revoked key stays revoked`);
      emu.registerKey(apiKey);
      return { registered: maskKey(apiKey), mode: emu.keyMode };
    }
    case 'POST keys/revoke': {
      const apiKey = body.apiKey;
      if (typeof apiKey !== 'string' || apiKey === '') throw new ControlError(400, 'apiKey is required');
      emu.revokeKey(apiKey);
      return { revoked: maskKey(apiKey) };
    }
    case 'GET mandates/:id': {
      // The page a mandate's `url` points at: what the customer accepted, without an API key.
      const mandate = owner(emu, id).mandates.get(id);
      if (!mandate) throw new ControlError(404, `No such mandate: ${id}`);
      return mandate;
    }
    case 'GET instruments':
      return { data: INSTRUMENTS };
    case 'POST checkout/sessions/:id/complete': {
      const account = owner(emu, id);
      const session = account.checkoutSessions.get(id);
      if (!session) throw new ControlError(404, `No such checkout session: ${id}`);
      const instrumentId = typeof body.instrument === 'string' ? body.instrument : 'card_visa';
      const instrument = instrumentById(instrumentId);
      if (!instrument)
        throw new ControlError(400, `Unknown instrument: ${instrumentId} (see GET /_emulator/instruments)`);
      const result = completeSession(systemCtx(emu, account), session, instrument);
      return { ...result, session };
    }
    case 'POST intents/:id/authenticate': {
      const result = body.result ?? 'success';
      if (result !== 'success' && result !== 'fail')
        throw new ControlError(400, 'result must be success or fail');
      return authenticate(emu, id, result === 'success');
    }
    case 'POST disputes/:id/close': {
      const outcome = body.outcome;
      if (outcome !== 'won' && outcome !== 'lost') throw new ControlError(400, 'outcome must be won or lost');
      const account = owner(emu, id);
      const dispute = account.disputes.get(id);
      if (!dispute) throw new ControlError(404, `No such dispute: ${id}`);
      const { error } = attempt(() => closeDispute(systemCtx(emu, account), dispute, outcome));
      if (error) throw new ControlError(400, error.message);
      return dispute;
    }
    default:
      throw new ControlError(404, `Unknown test control: ${method} /_emulator/${parts.join('/')}`);
  }
}

/** The 3D Secure challenge page that `next_action` links to. */
async function challengePage(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, id: string) {
  const html = (status: number, body: string) => send(res, status, body, {}, 'text/html; charset=utf-8');
  if (!deps.emu.owners.has(id)) {
    html(404, page('Not found', '<h1>Not found</h1>'));
    return;
  }
  if (req.method === 'POST') {
    const form = decodeForm(await readBody(req));
    try {
      authenticate(deps.emu, id, form.result === 'success');
      html(
        200,
        page('Authentication complete', '<h1>Authentication complete</h1><p>You can close this page.</p>'),
      );
    } catch (err) {
      html(
        400,
        page(
          'Authentication failed',
          `<h1>Cannot authenticate</h1><p>${escapeHtml((err as Error).message)}</p>`,
        ),
      );
    }
    return;
  }
  html(
    200,
    page(
      '3D Secure test challenge',
      `<h1>3D Secure test challenge</h1>
<form method="post"><fieldset><legend>Outcome</legend>
<label><input type="radio" name="result" value="success" checked> Complete authentication</label>
<label><input type="radio" name="result" value="fail"> Fail authentication</label>
</fieldset><button type="submit">Submit</button></form>`,
    ),
  );
}

export async function handleControls(
  deps: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const parts = path
    .slice('/_emulator/'.length)
    .split('/')
    .filter(Boolean)
    .map((p) => safeDecode(p) ?? '\u0000');
  if (parts[0] === 'authenticate' && parts[1]) {
    await challengePage(deps, req, res, parts[1]);
    return;
  }
  const json = (status: number, value: unknown) => send(res, status, JSON.stringify(value), {});
  try {
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: Json = {};
    if (raw.trim()) {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new ControlError(400, 'body must be a JSON object');
      body = parsed as Json;
    }
    json(200, route(deps, req.method ?? 'GET', parts, body));
  } catch (err) {
    if (err instanceof ControlError) json(err.status, { error: { message: err.message } });
    else if (err instanceof SyntaxError) json(400, { error: { message: `invalid JSON: ${err.message}` } });
    else {
      console.error('[stripe-emulator] control failed', err);
      json(500, { error: { message: 'control failed' } });
    }
  }
}
