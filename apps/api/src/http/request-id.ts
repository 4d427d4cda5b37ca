import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from './types.js';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Every response carries `X-Request-Id`: the caller's when it is a sane token, ours otherwise. */
export const requestId = createMiddleware<ApiEnv>(async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  await next();
  c.header('X-Request-Id', id);
});
