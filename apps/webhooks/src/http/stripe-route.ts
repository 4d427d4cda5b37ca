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
  /** The event types registered on every connection's endpoint; others are acknowledged, not stored. */
  readonly eventTypes: ReadonlySet<string>;
  readonly now: () => Date;
  readonly logger: Logger | undefined;
  /** Called for each genuine event of a type we do not handle. */
  readonly onIgnored?: () => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[\w.-]{1,255}$/;

/**
 * `POST /webhooks/stripe/:organizationId?code=…`: verify on the raw bytes, then store. Nothing is
 * parsed, stored or queued before the signature holds. The body limit has run before (413), so
 * the body read here is bounded. Logs name the reason, never the body or the signature header.
 */
export function stripeWebhookHandler(options: StripeRouteOptions) {
  return async (c: Context): Promise<Response> => {
    const organizationId = c.req.param('organizationId') ?? '';
    const code = c.req.query('code') ?? '';
    if (!UUID.test(organizationId) || !CODE.test(code)) return reject(c, 'unknown_connection');

    const rawBody = await c.req.text();

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
    if (!options.eventTypes.has(event.type)) {
      // Genuine, but not registered by us (added to the endpoint by hand): acknowledged so that
      // Stripe does not retry it for days and disable the endpoint, and not stored.
      options.logger?.info('stripe webhook of an unhandled type ignored', {
        organizationId,
        code,
        type: event.type,
      });
      options.onIgnored?.();
      return c.json({ received: true, duplicate: false, ignored: true }, 200);
    }
    if (hasNulEscape(rawBody)) {
      // PostgreSQL's jsonb cannot hold U+0000, and the stored payload must be the signed bytes.
      options.logger?.warn('signed stripe webhook contains U+0000', { organizationId, code });
      return reject(c, 'invalid_event');
    }
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

/**
 * Whether a JSON text holds the escape `\u0000` (an odd run of backslashes before `u0000`: an even
 * run is escaped backslashes followed by the letters). A raw NUL byte never gets this far: it is not
 * valid JSON.
 */
function hasNulEscape(json: string): boolean {
  return json.includes('u0000') && /(?<!\\)(?:\\\\)*\\u0000/.test(json);
}

/** A header without a numeric `t` and a `v1` cannot verify; the verifier then only judges the body. */
function looksLikeSignature(header: string | undefined): header is string {
  if (header === undefined) return false;
  const parts = header.split(',').map((p) => p.trim());
  return parts.some((p) => /^t=\d+$/.test(p)) && parts.some((p) => p.startsWith('v1='));
}
