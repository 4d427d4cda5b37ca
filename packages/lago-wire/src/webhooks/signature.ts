import { createHmac, createSign } from 'node:crypto';
import type { SignatureAlgo } from '../webhook-endpoint.js';
import type { WebhookSigningKey } from './signing-key.js';

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** Lago's JWT: RS256 over `{data: <body>, iss: <API URL>}`, header `{"alg":"RS256"}`, no exp/iat. */
export function signJwt(body: string, key: WebhookSigningKey, issuer: string): string {
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  const claims = base64url(JSON.stringify({ data: body, iss: issuer }));
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key.privateKey);
  return `${header}.${claims}.${base64url(signature)}`;
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

export function webhookHeaders(input: WebhookSigningInput): Record<string, string> {
  const signature =
    input.algo === 'jwt'
      ? signJwt(input.body, input.jwt.key, input.jwt.issuer)
      : signHmac(input.body, input.hmacKey);
  return {
    'Content-Type': 'application/json',
    'X-Lago-Signature': signature,
    'X-Lago-Signature-Algorithm': input.algo,
    'X-Lago-Unique-Key': input.uniqueKey,
  };
}
