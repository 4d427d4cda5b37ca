import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';

/**
 * The instance's RSA key for `X-Lago-Signature` in JWT mode. The API serves the public half at
 * `/api/v1/webhooks/public_key`; both read the same `WEBHOOK_SIGNING_PRIVATE_KEY`.
 */
export class WebhookSigningKey {
  readonly #privateKey: KeyObject;
  readonly publicKeyPem: string;

  private constructor(privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'rsa')
      throw new Error('WEBHOOK_SIGNING_PRIVATE_KEY must be an RSA key');
    this.#privateKey = privateKey;
    this.publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  static fromPem(pem: string): WebhookSigningKey {
    return new WebhookSigningKey(createPrivateKey(pem));
  }

  /** A fresh 2048-bit key, for tests and for an embedded run that hands it to the API too. */
  static generate(): { key: WebhookSigningKey; privateKeyPem: string } {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return { key: new WebhookSigningKey(privateKey), privateKeyPem };
  }

  /** Lago's JWT: RS256 over `{data: <body>, iss: <API URL>}`, no expiry. */
  signJwt(body: string, issuer: string): string {
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
    const claims = base64url(JSON.stringify({ data: body, iss: issuer }));
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), this.#privateKey);
    return `${header}.${claims}.${signature.toString('base64url')}`;
  }
}

/** Lago's HMAC mode: standard base64 of HMAC-SHA256(organization HMAC key, body). */
export function signHmac(body: string, hmacKey: string): string {
  return createHmac('sha256', hmacKey).update(body, 'utf8').digest('base64');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
