import type { WebhookConnection, WebhookConnectionSource } from './ports.js';

interface Entry {
  readonly value: WebhookConnection | null;
  readonly expiresAt: number;
}

export interface CacheOptions {
  readonly ttlMs: number;
  /** Bounds memory when many URLs are probed; the oldest entries go first. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Keeps decrypted signing secrets in memory for a short time, so a verified event costs one
 * database round trip (the insert) instead of two plus a decryption. Unknown connections are not
 * cached: a connection created a moment ago must work at once. Concurrent misses for the same key
 * share one lookup.
 */
export class CachedConnectionSource implements WebhookConnectionSource {
  readonly #source: WebhookConnectionSource;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<WebhookConnection | null>>();

  constructor(source: WebhookConnectionSource, options: CacheOptions) {
    this.#source = source;
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async find(organizationId: string, code: string): Promise<WebhookConnection | null> {
    const key = cacheKey(organizationId, code);
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > this.#now()) return entry.value;
    return this.#load(key, organizationId, code);
  }

  /**
   * Forgets a cached secret, e.g. when a signature does not match it: the connection may have been
   * replaced, and the next lookup reads the current one.
   */
  invalidate(organizationId: string, code: string): void {
    this.#entries.delete(cacheKey(organizationId, code));
  }

  #load(key: string, organizationId: string, code: string): Promise<WebhookConnection | null> {
    const inFlight = this.#loading.get(key);
    if (inFlight !== undefined) return inFlight;
    const loading = this.#source
      .find(organizationId, code)
      .then((value) => {
        if (value === null) this.#entries.delete(key);
        else this.#remember(key, value);
        return value;
      })
      .finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    return loading;
  }

  #remember(key: string, value: WebhookConnection): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
  }
}

function cacheKey(organizationId: string, code: string): string {
  return `${organizationId}\u0000${code}`;
}
