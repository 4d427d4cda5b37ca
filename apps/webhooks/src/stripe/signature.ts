import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'timestamp_too_old';

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: SignatureFailure };

export interface SignatureInput {
  readonly rawBody: Uint8Array;
  readonly signatureHeader: string | undefined;
  readonly secret: string;
  readonly toleranceSeconds: number;
  /** Seconds since the epoch, injected so tests can move the clock. */
  readonly nowSeconds: number;
}

/**
 * Stripe's v1 scheme: hex HMAC-SHA256 of `${t}.${body}` keyed with the whole `whsec_…` string.
 * Other schemes (Stripe's fake `v0`) are ignored, several `v1` are allowed during a secret roll,
 * and, like the SDK, a timestamp in the future is accepted: only age makes a signature stale.
 */
export function checkStripeSignature(input: SignatureInput): SignatureCheck {
  if (input.signatureHeader === undefined || input.signatureHeader === '') {
    return { ok: false, reason: 'missing_signature' };
  }
  let timestamp: number | null = null;
  const candidates: Buffer[] = [];
  for (const part of input.signatureHeader.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === null || candidates.length === 0) return { ok: false, reason: 'malformed_signature' };

  const expected = createHmac('sha256', input.secret)
    .update(`${timestamp}.`, 'utf8')
    .update(input.rawBody)
    .digest();
  if (!candidates.some((c) => timingSafeEqual(c, expected)))
    return { ok: false, reason: 'signature_mismatch' };
  if (input.nowSeconds - timestamp > input.toleranceSeconds)
    return { ok: false, reason: 'timestamp_too_old' };
  return { ok: true };
}
