import { createHash } from 'node:crypto';
import type { Organization } from '@payrail/domain';
import type { ApiKeyAuthenticator, ApiKeyLookup } from '../ports/api-keys.js';

interface Entry {
  readonly organization: Organization;
  readonly expiresAt: number;
}

export interface ApiKeyCacheOptions {
  /** How long a key found valid is trusted without asking the database again; 0 turns caching off. */
  readonly ttlMs: number;
  /** Bounds memory when many keys are in use; the oldest entries go first. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * API key → organization, remembered for a few seconds so that a busy client's requests do not
 * each read its key. A revoked key is refused once its entry expires (`ttlMs`, 5 s by default), in
 * every API process, because entries are never extended: each one is re-read from the database
 * when it expires. Unknown and revoked keys are never cached (a new key works at once), and only
 * the keys' SHA-256 are held. Concurrent misses for one key share one lookup. Decision 0903.
 */
export class CachedApiKeys implements ApiKeyAuthenticator {
  readonly #lookup: ApiKeyLookup;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Organization | null>>();

  constructor(lookup: ApiKeyLookup, options: ApiKeyCacheOptions) {
    this.#lookup = lookup;
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  authenticate(token: string): Promise<Organization | null> {
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    const entry = this.#entries.get(hash);
    if (entry !== undefined) {
      if (entry.expiresAt > this.#now()) return Promise.resolve(entry.organization);
      this.#entries.delete(hash);
    }
    const inFlight = this.#loading.get(hash);
    if (inFlight !== undefined) return inFlight;
    const loading = this.#lookup
      .findByKeyHash(hash)
      .then((organization) => {
        if (organization !== null && this.#ttlMs > 0) this.#remember(hash, organization);
        return organization;
      })
      .finally(() => this.#loading.delete(hash));
    this.#loading.set(hash, loading);
    return loading;
  }

  #remember(hash: string, organization: Organization): void {
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(hash, { organization, expiresAt: this.#now() + this.#ttlMs });
  }
}
