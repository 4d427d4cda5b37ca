import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The environment variable that holds the deployment's webhook signing key (see the README). */
export const WEBHOOK_SIGNING_KEY_VARIABLE = 'WEBHOOK_SIGNING_PRIVATE_KEY';

/**
 * The RSA key pair that signs outgoing webhooks (JWT RS256) for the whole deployment. The API
 * serves its public half at `/webhooks/public_key`; the worker signs with the private half. Both
 * build it from the same `WEBHOOK_SIGNING_PRIVATE_KEY`, so they always agree.
 */
export class WebhookSigningKey {
  readonly #privateKey: KeyObject;
  readonly #publicKeyPem: string;

  private constructor(privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw new TypeError('the webhook signing key must be an RSA private key');
    }
    this.#privateKey = privateKey;
    this.#publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /** Accepts a PKCS#1 or PKCS#8 PEM, with real or `\n`-escaped newlines, or that PEM in base64. */
  static fromText(text: string): WebhookSigningKey {
    const trimmed = text.trim();
    const pem = trimmed.startsWith('-----')
      ? trimmed.replaceAll('\\n', '\n')
      : Buffer.from(trimmed, 'base64').toString('utf8');
    if (!pem.includes('PRIVATE KEY-----')) {
      throw new TypeError('the webhook signing key is not a PEM private key');
    }
    return new WebhookSigningKey(createPrivateKey(pem));
  }

  /** For tests and the embedded start, which keeps what it generates. */
  static generate(): WebhookSigningKey {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return new WebhookSigningKey(privateKey);
  }

  /** Reads `WEBHOOK_SIGNING_PRIVATE_KEY`; throws a message naming the variable when absent or bad. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): WebhookSigningKey {
    const value = env[WEBHOOK_SIGNING_KEY_VARIABLE];
    if (!value) throw new TypeError(`${WEBHOOK_SIGNING_KEY_VARIABLE} is not set`);
    try {
      return WebhookSigningKey.fromText(value);
    } catch (error) {
      throw new TypeError(`${WEBHOOK_SIGNING_KEY_VARIABLE} is invalid: ${(error as Error).message}`);
    }
  }

  get privateKey(): KeyObject {
    return this.#privateKey;
  }

  /** PKCS#8 PEM, to hand the same key to another composition (e.g. the embedded start). */
  privateKeyPem(): string {
    return this.#privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  publicKeyPem(): string {
    return this.#publicKeyPem;
  }

  /** What Lago serves: Ruby's `Base64.encode64(pem)`, a newline every 60 characters and at the end. */
  publicKeyBase64(): string {
    const flat = Buffer.from(this.#publicKeyPem, 'utf8').toString('base64');
    return `${flat.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
  }

  toString(): string {
    return '[webhook signing key]';
  }

  toJSON(): string {
    return '[webhook signing key]';
  }
}
