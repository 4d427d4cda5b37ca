import { badRequest } from '@payrail/lago-wire';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './api-error.js';
import type { ApiEnv } from './types.js';

/** Far above any legitimate Lago request; refuses memory abuse before parsing. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body once as text. Lago's client sends `Content-Type: application/json` with an empty
 * body on void and retry_payment, so an empty body is simply "no parameters".
 */
export const readRawBody = createMiddleware<ApiEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    c.set('rawBody', '');
    return next();
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new ApiError(badRequest('request body is too large'));
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ApiError(badRequest('request body is too large'));
  c.set('rawBody', text);
  await next();
});

/** The parsed JSON body: `undefined` when empty; a 400 when it is not JSON. */
export function jsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(badRequest('the request body is not valid JSON'));
  }
}
