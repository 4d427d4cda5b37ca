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

/** Counts a body of undeclared length as it arrives (building the full Fetch `Request` to do so). */
const limitUndeclaredBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });

/**
 * 413 for a body above the limit, before anything reads it: a declared `Content-Length` is judged
 * from the header without reading a byte; a chunked body (or an in-process request's, which
 * declares none) is counted as it arrives and refused at the first byte past the limit, so at most
 * `MAX_BODY_BYTES` of it is ever held. A GET's or HEAD's body is never read. Neither builds the
 * Fetch `Request` that Hono's own middleware builds for every request to look for a body.
 */
export const limitBody = createMiddleware<ApiEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return next();
  const length = c.req.header('content-length');
  if (length === undefined || c.req.header('transfer-encoding') !== undefined)
    return limitUndeclaredBody(c, next);
  if (Number.parseInt(length, 10) > MAX_BODY_BYTES) tooLarge();
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
