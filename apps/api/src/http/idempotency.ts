import { createHash } from 'node:crypto';
import { badRequest, conflictBody, type LagoErrorBody } from '@payrail/lago-wire';
import { createMiddleware } from 'hono/factory';
import type { ApiDeps } from '../deps.js';
import { ApiError } from './api-error.js';
import { KeyedUnitOfWork } from './keyed-unit-of-work.js';
import type { ApiEnv } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

/** Statuses not worth remembering: the same request may well succeed when sent again. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 409 || status === 429;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.clone().text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function replay(status: number, body: unknown): Response {
  const headers = { 'Idempotent-Replayed': 'true' };
  if (body === null) return new Response(null, { status, headers });
  if (typeof body === 'string') return new Response(body, { status, headers });
  return Response.json(body, { status, headers });
}

const REUSED: LagoErrorBody = {
  status: 422,
  error: 'Unprocessable Entity',
  code: 'idempotency_key_reused',
  error_details: { idempotency_key: ['used_with_a_different_request'] },
};

/**
 * `Idempotency-Key` on POST: the first response (status and body) is stored per organization and
 * key and replayed for the same request; the same key on a different request is refused, and a
 * second request while the first runs gets a 409 to retry later. The key is committed in the same
 * transaction as the request's first write (`KeyedUnitOfWork`), so a request that wrote is never
 * run twice: if its answer is lost (an error after the commit, a crash), the retry is answered by
 * the route's `replay` from what was written. Decision 0504.
 */
export function idempotency(deps: ApiDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key))
      throw new ApiError(badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters'));
    const organizationId = c.get('organizationId');
    const fingerprint = createHash('sha256')
      .update(`${c.req.method}\n${c.req.path}\n${c.get('rawBody')}`)
      .digest('hex');
    const ttl = deps.idempotencyTtlMs ?? DAY_MS;
    const begun = await deps.idempotency.begin({
      organizationId,
      key,
      fingerprint,
      expiresAt: new Date(deps.ctx.clock.now().getTime() + ttl),
    });
    let committed: () => boolean;
    switch (begun.kind) {
      case 'replay':
        return replay(begun.status, begun.body);
      case 'mismatch':
        throw new ApiError(REUSED);
      case 'in_progress':
        throw new ApiError(conflictBody('idempotency_request_in_progress'));
      case 'replay_committed':
        c.set('replayWritten', begun.written);
        committed = () => true;
        break;
      case 'started': {
        const uow = new KeyedUnitOfWork(deps.ctx.uow, deps.idempotency, begun.recordId);
        c.set('uow', uow);
        committed = () => uow.committed;
        break;
      }
    }
    await next();
    const status = c.res.status;
    const { recordId } = begun;
    const forget = () =>
      committed() ? deps.idempotency.release({ recordId }) : deps.idempotency.abandon({ recordId });
    try {
      if (isTransient(status)) await forget();
      else await deps.idempotency.complete({ recordId, status, body: await bodyOf(c.res) });
    } catch (error) {
      deps.logger.error('idempotency record not saved', { request_id: c.get('requestId'), error });
      await forget().catch(() => undefined);
    }
    if (begun.kind === 'replay_committed') c.res.headers.set('Idempotent-Replayed', 'true');
  });
}
