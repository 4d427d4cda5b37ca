import { createHash } from 'node:crypto';
import type { Organization } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import { CachedApiKeys } from './api-key-cache.js';

const org: Organization = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Acme',
  documentNumberPrefix: 'ACM',
  version: 1,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const sha = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** A key table in memory: which hashes are live, and how often it was asked. */
function keys(live: string[]) {
  const hashes = new Set(live.map(sha));
  const lookup = {
    reads: 0,
    async findByKeyHash(hash: string) {
      lookup.reads++;
      return hashes.has(hash) ? org : null;
    },
    revoke: (key: string) => hashes.delete(sha(key)),
    add: (key: string) => hashes.add(sha(key)),
  };
  return lookup;
}

describe('API key cache', () => {
  it('reads a valid key once per TTL, and refuses it once revoked and the TTL has passed', async () => {
    let now = 0;
    const table = keys(['pr_a']);
    const cache = new CachedApiKeys(table, { ttlMs: 5_000, now: () => now });
    expect(await cache.authenticate('pr_a')).toEqual(org);
    now = 4_999;
    expect(await cache.authenticate('pr_a')).toEqual(org);
    expect(table.reads).toBe(1);
    table.revoke('pr_a');
    now = 5_000;
    expect(await cache.authenticate('pr_a')).toBeNull();
    expect(table.reads).toBe(2);
  });

  it('never caches an unknown key: a key created a moment ago works at once', async () => {
    const table = keys([]);
    const cache = new CachedApiKeys(table, { ttlMs: 5_000, now: () => 0 });
    expect(await cache.authenticate('pr_new')).toBeNull();
    table.add('pr_new');
    expect(await cache.authenticate('pr_new')).toEqual(org);
  });

  it('shares one lookup between concurrent requests with the same key', async () => {
    const table = keys(['pr_a']);
    const cache = new CachedApiKeys(table, { ttlMs: 5_000, now: () => 0 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.authenticate('pr_a')));
    expect(answers.every((a) => a?.id === org.id)).toBe(true);
    expect(table.reads).toBe(1);
  });

  it('with a TTL of 0, reads the key on every request', async () => {
    const table = keys(['pr_a']);
    const cache = new CachedApiKeys(table, { ttlMs: 0, now: () => 0 });
    await cache.authenticate('pr_a');
    await cache.authenticate('pr_a');
    expect(table.reads).toBe(2);
  });

  it('keeps at most maxEntries keys, dropping the oldest', async () => {
    const table = keys(['pr_a', 'pr_b', 'pr_c']);
    const cache = new CachedApiKeys(table, { ttlMs: 5_000, maxEntries: 2, now: () => 0 });
    for (const key of ['pr_a', 'pr_b', 'pr_c']) await cache.authenticate(key);
    await cache.authenticate('pr_c');
    expect(table.reads).toBe(3);
    await cache.authenticate('pr_a');
    expect(table.reads).toBe(4);
  });
});
