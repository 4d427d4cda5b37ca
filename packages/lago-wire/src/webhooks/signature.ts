import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SignatureAlgo } from '../webhook-endpoint.js';
import type { WebhookSigningKey } from './signing-key.js';

/** Lago's JWT: RS256 over `{data: <body>, iss: <API URL>}`, header `{"alg":"RS256"}`, no exp/iat. */
export function signJwt(body: string, key: WebhookSigningKey, issuer: string): Promise<string> {
  return new SignJWT({ data: body })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(issuer)
    .sign(key.privateKey);
}

/** Lago's HMAC: standard base64 (no newlines) of HMAC-SHA256 over the body, keyed by the organization key. */
export function signHmac(body: string, hmacKey: string): string {
  return createHmac('sha256', hmacKey).update(body).digest('base64');
}

export interface WebhookSigningInput {
  readonly body: string;
  readonly algo: SignatureAlgo;
  /** `X-Lago-Unique-Key`: stays the same across retries of one delivery. */
  readonly uniqueKey: string;
  readonly jwt: { readonly key: WebhookSigningKey; readonly issuer: string };
  readonly hmacKey: string;
}

export async function webhookHeaders(input: WebhookSigningInput): Promise<Record<string, string>> {
  const signature =
    input.algo === 'jwt'
      ? await signJwt(input.body, input.jwt.key, input.jwt.issuer)
      : signHmac(input.body, input.hmacKey);
  return {
    'Content-Type': 'application/json',
    'X-Lago-Signature': signature,
    'X-Lago-Signature-Algorithm': input.algo,
    'X-Lago-Unique-Key': input.uniqueKey,
  };
}
