import type { Logger } from '@payrail/domain';
import { verifyStripeWebhook } from '@payrail/stripe-adapter';
import type { Context } from 'hono';
import type { InboxWriter, WebhookConnection } from '../ports.js';
import type { CachedConnectionSource } from '../secret-cache.js';
import { reject } from './errors.js';

export interface StripeRouteOptions {
  readonly connections: CachedConnectionSource;
  readonly inbox: InboxWriter;
  readonly toleranceSeconds: number;
  readonly maxBodyBytes: number;
  readonly now: () => Date;
  readonly logger: Logger | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[\w.-]{1,255}$/;

/**
 * `POST /webhooks/stripe/:organizationId?code=…`: verify on the raw bytes, then store. Nothing is
 * parsed, stored or queued before the signature holds. Logs name the reason, never the body or the
 * signature header.
 */
export function stripeWebhookHandler(options: StripeRouteOptions) {
  return async (c: Context): Promise<Response> => {
    const organizationId = c.req.param('organizationId') ?? '';
    const code = c.req.query('code') ?? '';
    if (!UUID.test(organizationId) || !CODE.test(code)) return reject(c, 'unknown_connection');

    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > options.maxBodyBytes) return reject(c, 'payload_too_large');
    const rawBody = await c.req.text();
    if (Buffer.byteLength(rawBody, 'utf8') > options.maxBodyBytes) return reject(c, 'payload_too_large');

    const signatureHeader = c.req.header('stripe-signature');
    if (!looksLikeSignature(signatureHeader)) {
      return rejectSignature(c, options, organizationId, code, 'missing or malformed header');
    }

    const connection = await options.connections.find(organizationId, code);
    if (connection === null) {
      options.logger?.warn('stripe webhook for an unknown connection', { organizationId, code });
      return reject(c, 'unknown_connection');
    }

    let verified = verify(connection, rawBody, signatureHeader, options);
    let verifiedWith = connection;
    if (!verified.ok && verified.error.code === 'bad_signature') {
      // The cached secret may be stale (connection replaced); one fresh read settles it.
      options.connections.invalidate(organizationId, code);
      const fresh = await options.connections.find(organizationId, code);
      if (fresh === null) return reject(c, 'unknown_connection');
      verified = verify(fresh, rawBody, signatureHeader, options);
      verifiedWith = fresh;
    }
    if (!verified.ok) {
      if (verified.error.code === 'malformed') {
        options.logger?.warn('signed stripe webhook is not an event', { organizationId, code });
        return reject(c, 'invalid_event');
      }
      return rejectSignature(c, options, organizationId, code, verified.error.code);
    }

    const event = verified.value;
    const { status } = await options.inbox.insert({
      organizationId,
      connectionId: verifiedWith.connectionId,
      stripeEventId: event.id,
      type: event.type,
      createdAt: new Date(event.created * 1000),
      payload: rawBody,
    });
    return c.json({ received: true, duplicate: status === 'duplicate' }, 200);
  };
}

function verify(
  connection: WebhookConnection,
  rawBody: string,
  signatureHeader: string,
  options: StripeRouteOptions,
) {
  return verifyStripeWebhook({
    rawBody,
    signatureHeader,
    secret: connection.signingSecret,
    toleranceSeconds: options.toleranceSeconds,
    now: options.now(),
  });
}

function rejectSignature(
  c: Context,
  options: StripeRouteOptions,
  organizationId: string,
  code: string,
  reason: string,
): Response {
  options.logger?.warn('stripe webhook signature rejected', { organizationId, code, reason });
  return reject(c, 'invalid_signature');
}

/** A header without a numeric `t` and a `v1` cannot verify; the verifier then only judges the body. */
function looksLikeSignature(header: string | undefined): header is string {
  if (header === undefined) return false;
  const parts = header.split(',').map((p) => p.trim());
  return parts.some((p) => /^t=\d+$/.test(p)) && parts.some((p) => p.startsWith('v1='));
}
