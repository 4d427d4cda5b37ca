import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, type Result, type Secret } from '@payrail/domain';
import { parseStripeEvent, type StripeWebhookEvent, type WebhookMalformed } from './event.js';

export type WebhookVerificationError =
  | { readonly code: 'bad_signature'; readonly message: string }
  | { readonly code: 'too_old'; readonly message: string }
  | { readonly code: 'in_the_future'; readonly message: string }
  | WebhookMalformed;

export interface VerifyStripeWebhookInput {
  /** The body exactly as received; a re-serialised JSON object never verifies. */
  readonly rawBody: string | Uint8Array;
  readonly signatureHeader: string | null | undefined;
  readonly secret: Secret | string;
  /** Seconds either side of now; 0 turns the timestamp check off (as in stripe-node 23). */
  readonly toleranceSeconds?: number;
  readonly now?: Date;
}

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The rules of `stripe.webhooks.constructEvent`: HMAC-SHA256 of `${t}.${body}` keyed with the whole
 * `whsec_…` string, any `v1` may match (secret rolls), other schemes are ignored, timestamps older
 * than the tolerance fail. One rule is stricter than the SDK's: a timestamp more than the tolerance
 * ahead of our clock fails too (the SDK accepts any future timestamp). Stripe signs at sending
 * time, so only a signature made elsewhere is dated ahead, and it would stay replayable until long
 * after the window. Done here rather than by catching the SDK's exception so that each failure gets
 * its own code without matching on message text.
 */
export function verifyStripeWebhook(
  input: VerifyStripeWebhookInput,
): Result<StripeWebhookEvent, WebhookVerificationError> {
  const secret = typeof input.secret === 'string' ? input.secret : input.secret.reveal();
  if (secret.trim() === '') {
    return err({ code: 'bad_signature', message: 'No webhook signing secret is configured.' });
  }
  const header = parseSignatureHeader(input.signatureHeader);
  if (!header) {
    return err({
      code: 'malformed',
      message: 'The Stripe-Signature header is missing or has no timestamp and v1 signature.',
    });
  }
  const expected = Buffer.from(signatureOf(header.timestamp, input.rawBody, secret), 'ascii');
  if (!header.signatures.some((candidate) => sameBytes(candidate, expected))) {
    return err({
      code: 'bad_signature',
      message: 'No signature matches the expected signature for this body and secret.',
    });
  }
  const tolerance = input.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now?.getTime() ?? Date.now()) / 1000);
  if (tolerance > 0 && nowSeconds - header.timestamp > tolerance) {
    return err({ code: 'too_old', message: `The signature timestamp is older than ${tolerance} seconds.` });
  }
  if (tolerance > 0 && header.timestamp - nowSeconds > tolerance) {
    return err({
      code: 'in_the_future',
      message: `The signature timestamp is more than ${tolerance} seconds ahead of our clock.`,
    });
  }
  return parseStripeEvent(
    typeof input.rawBody === 'string' ? input.rawBody : asBuffer(input.rawBody).toString('utf8'),
  );
}

interface SignatureHeader {
  readonly timestamp: number;
  /** The `v1` values as bytes, for a constant-time comparison with the expected hex digest. */
  readonly signatures: readonly Buffer[];
}

function parseSignatureHeader(header: string | null | undefined): SignatureHeader | null {
  if (typeof header !== 'string') return null;
  let timestamp = Number.NaN;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    else if (key === 'v1') signatures.push(Buffer.from(value, 'utf8'));
  }
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) return null;
  return { timestamp, signatures };
}

/** Hex HMAC-SHA256 of `${t}.${body}`; one update for strings, no copy for byte bodies. */
function signatureOf(timestamp: number, body: string | Uint8Array, secret: string): string {
  const hmac = createHmac('sha256', secret);
  if (typeof body === 'string') return hmac.update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return hmac.update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
