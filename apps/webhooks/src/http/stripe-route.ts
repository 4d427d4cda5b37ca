import type { Logger } from '@payrail/domain';
import type { Context } from 'hono';
import type { InboxWriter, WebhookConnection } from '../ports.js';
import type { CachedConnectionSource } from '../secret-cache.js';
import { parseEventEnvelope } from '../stripe/event-envelope.js';
import { checkStripeSignature, type SignatureCheck } from '../stripe/signature.js';
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
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    if (rawBody.byteLength > options.maxBodyBytes) return reject(c, 'payload_too_large');

    const connection = await options.connections.find(organizationId, code);
    if (connection === null) {
      options.logger?.warn('stripe webhook for an unknown connection', { organizationId, code });
      return reject(c, 'unknown_connection');
    }

    const signatureHeader = c.req.header('stripe-signature');
    let check = verify(connection, rawBody, signatureHeader, options);
    if (!check.ok && check.reason === 'signature_mismatch') {
      // The cached secret may be stale (connection replaced); one fresh read settles it.
      options.connections.invalidate(organizationId, code);
      const fresh = await options.connections.find(organizationId, code);
      if (fresh === null) return reject(c, 'unknown_connection');
      check = verify(fresh, rawBody, signatureHeader, options);
      if (check.ok) return store(c, fresh, organizationId, rawBody, options);
    }
    if (!check.ok) {
      options.logger?.warn('stripe webhook rejected', { organizationId, code, reason: check.reason });
      return reject(c, 'invalid_signature');
    }
    return store(c, connection, organizationId, rawBody, options);
  };
}

function verify(
  connection: WebhookConnection,
  rawBody: Uint8Array,
  signatureHeader: string | undefined,
  options: StripeRouteOptions,
): SignatureCheck {
  return checkStripeSignature({
    rawBody,
    signatureHeader,
    secret: connection.signingSecret.reveal(),
    toleranceSeconds: options.toleranceSeconds,
    nowSeconds: Math.floor(options.now().getTime() / 1000),
  });
}

async function store(
  c: Context,
  connection: WebhookConnection,
  organizationId: string,
  rawBody: Uint8Array,
  options: StripeRouteOptions,
): Promise<Response> {
  const event = parseEventEnvelope(rawBody);
  if (event === null) {
    options.logger?.warn('signed stripe webhook is not an event', { organizationId });
    return reject(c, 'invalid_event');
  }
  const { duplicate } = await options.inbox.insert({
    organizationId,
    connectionId: connection.connectionId,
    stripeEventId: event.id,
    type: event.type,
    stripeCreatedAt: event.createdAt,
    payload: event.payload,
  });
  return c.json({ received: true, duplicate }, 200);
}
