import { badRequest, payloadTooLarge } from '@payrail/lago-wire';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './api-error.js';
import type { ApiEnv } from './types.js';

/** Far above any legitimate Lago request (the largest is an invoice with its fees and metadata). */
export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = (): never => {
  throw new ApiError(payloadTooLarge());
};

/** Counts a chunked body as it arrives (it builds the request's full Fetch `Request` to do so). */
const limitChunkedBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });

/**
 * 413 for a body above the limit, before anything reads it: a declared `Content-Length` is judged
 * from the header without reading a byte; a chunked body is counted as it arrives and refused at
 * the first byte past the limit, so at most `MAX_BODY_BYTES` of it is ever held. A request with
 * neither header has no body (HTTP/1.1), and a GET's or HEAD's body is never read: both pass
 * without the Fetch `Request` that Hono's own middleware would build for them on every request.
 */
export const limitBody = createMiddleware<ApiEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return next();
  if (c.req.header('transfer-encoding') !== undefined) return limitChunkedBody(c, next);
  const length = c.req.header('content-length');
  if (length !== undefined && Number.parseInt(length, 10) > MAX_BODY_BYTES) tooLarge();
  return next();
});

/**
 * Reads the body once as text, after `limitBody`. Lago's client sends `Content-Type:
 * application/json` with an empty body on void and retry_payment, so an empty body is simply "no
 * parameters".
 */
export const readRawBody = createMiddleware<ApiEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    c.set('rawBody', '');
    return next();
  }
  c.set('rawBody', await c.req.text());
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
