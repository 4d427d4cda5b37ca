import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Where a sealed secret lives: its column and the organization and row it belongs to. It is the
 * AES-GCM associated data, so a sealed value opens only in the row it was sealed for; copied into
 * another organization's row (or another column) it fails to open.
 */
export type SealContext = string & { readonly __sealContext: true };

/** Every column that holds a sealed secret (the rotation command walks this list). */
export type SealedColumn =
  | 'organizations.hmac_key_sealed'
  | 'stripe_connections.secret_key_sealed'
  | 'stripe_connections.webhook_secret_sealed'
  | 'ui_sessions.api_key_sealed';

export function sealContext(column: SealedColumn, organizationId: string, rowId: string): SealContext {
  return `${column}/${organizationId}/${rowId}` as SealContext;
}

const KEY_ID_LABEL = 'payrail secret box key id';
/** Opened values a box keeps (see `SecretBox.open`). */
const OPENED_KEPT = 256;

/** A short, public name of a key: the first 8 characters of an HMAC of a fixed label under it. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update(KEY_ID_LABEL).digest('base64url').slice(0, 8);
}

function parseKey(value: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/**
 * AES-256-GCM for secrets at rest (Stripe secret keys, webhook secrets, HMAC keys). The stored form
 * is `v2:<key id>:<iv>:<tag>:<ciphertext>` (base64url), with `v2:<key id>:<context>` as associated
 * data. The box seals with its current key and opens with the current or any previous key, found
 * by key id, so `ENCRYPTION_KEY` can be rotated while the secrets are re-sealed (decision 0304).
 * `v1:<iv>:<tag>:<ciphertext>` (no key id, no associated data) is what came before: it still opens,
 * with any known key, and is not current, so the rotation command re-seals it bound to its row.
 */
export class SecretBox {
  readonly #current: Buffer;
  readonly #currentId: string;
  readonly #keys = new Map<string, Buffer>();
  /**
   * Values opened lately, by context and sealed value: a worker opens the same few connection keys
   * and HMAC keys for every job. Only a successful, authenticated opening is kept, under exactly the
   * pair it was opened for, so the cache answers what the cipher would (decision 0911).
   */
  readonly #opened = new Map<string, string>();

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    for (const k of [key, ...previous]) {
      if (k.length !== 32)
        throw new Error('SecretBox needs a 32-byte key (ENCRYPTION_KEY: 64 hex chars or 44 base64)');
    }
    this.#current = key;
    this.#currentId = keyIdOf(key);
    for (const k of [key, ...previous]) if (!this.#keys.has(keyIdOf(k))) this.#keys.set(keyIdOf(k), k);
  }

  /** `value` and each comma-separated entry of `previous`: 64 hex characters or 32 bytes in base64. */
  static fromEnv(value: string, previous?: string): SecretBox {
    const older = (previous ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map(parseKey);
    return new SecretBox(parseKey(value), older);
  }

  /** The id of the key new secrets are sealed with. */
  get keyId(): string {
    return this.#currentId;
  }

  seal(plaintext: string, context: SealContext): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current, iv);
    cipher.setAAD(associatedData(this.#currentId, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v2',
      this.#currentId,
      ...[iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url')),
    ].join(':');
  }

  /** Throws when the value was sealed for another context, under an unknown key, or tampered with. */
  open(sealed: string, context: SealContext): string {
    const id = `${context}\u0000${sealed}`;
    const known = this.#opened.get(id);
    if (known !== undefined) return known;
    const plaintext = this.#open(sealed, context);
    if (this.#opened.size >= OPENED_KEPT) {
      const oldest = this.#opened.keys().next().value;
      if (oldest !== undefined) this.#opened.delete(oldest);
    }
    this.#opened.set(id, plaintext);
    return plaintext;
  }

  #open(sealed: string, context: SealContext): string {
    const parts = sealed.split(':');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId = '', iv = '', tag = '', body = ''] = parts;
      const key = this.#keys.get(keyId);
      if (key === undefined) throw new Error(`secret sealed with an unknown key (key id ${keyId})`);
      return decrypt(key, iv, tag, body, associatedData(keyId, context));
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv = '', tag = '', body = ''] = parts;
      for (const key of this.#keys.values()) {
        try {
          return decrypt(key, iv, tag, body, null);
        } catch {
          // Try the next key: v1 carries no key id.
        }
      }
      throw new Error('secret sealed with an unknown key (v1)');
    }
    throw new Error('not a sealed secret');
  }

  /** True when `sealed` is in the current format under the current key: nothing to re-seal. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`v2:${this.#currentId}:`);
  }
}

function associatedData(keyId: string, context: SealContext): Buffer {
  return Buffer.from(`v2:${keyId}:${context}`, 'utf8');
}

function decrypt(key: Buffer, iv: string, tag: string, body: string, aad: Buffer | null): string {
  // A fixed tag length: a truncated tag would be easier to forge.
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  if (aad !== null) decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
