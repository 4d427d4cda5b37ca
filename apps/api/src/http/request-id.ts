import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from './types.js';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Every response carries `X-Request-Id`: the caller's when it is a sane token, ours otherwise. Set
 * before the route runs, it is part of every response the context builds; only a response built
 * otherwise (a replay, a redirect) gets it afterwards, because setting a header on a finished
 * response makes Hono rebuild it as a full Fetch `Response`.
 */
export const requestId = createMiddleware<ApiEnv>(async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  await next();
  if (c.res.headers.get('x-request-id') !== id) c.header('X-Request-Id', id);
});
