import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

export type RejectionCode =
  | 'unknown_connection'
  | 'invalid_signature'
  | 'invalid_event'
  | 'payload_too_large'
  | 'not_found';

const STATUS: { readonly [K in RejectionCode]: 400 | 404 | 413 } = {
  unknown_connection: 400,
  invalid_signature: 400,
  invalid_event: 400,
  payload_too_large: 413,
  not_found: 404,
};

const TEXT: { readonly [K in 400 | 404 | 413]: string } = {
  400: 'BadRequest',
  404: 'Not Found',
  413: 'Payload Too Large',
};

/** Lago's error shape, small on purpose: Stripe only reads the status. */
export function reject(c: Context, code: RejectionCode): Response {
  const status = STATUS[code];
  return c.json({ status, error: TEXT[status], code, request_id: randomUUID() }, status);
}
