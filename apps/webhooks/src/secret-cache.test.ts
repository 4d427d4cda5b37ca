import { describe, expect, it } from 'vitest';
import { MemoryConnections } from '../test/memory.js';
import { CachedConnectionSource } from './secret-cache.js';

const ORG = '0b6b1c52-6f0e-4f57-9a43-8f1f3c1f2a01';

describe('CachedConnectionSource', () => {
  it('reads again after the TTL', async () => {
    let now = 0;
    const source = new MemoryConnections();
    source.add(ORG, 'a', 'conn-1', 'whsec_1');
    const cache = new CachedConnectionSource(source, { ttlMs: 1000, now: () => now });
    await cache.find(ORG, 'a');
    await cache.find(ORG, 'a');
    expect(source.lookups).toBe(1);
    now = 1001;
    await cache.find(ORG, 'a');
    expect(source.lookups).toBe(2);
  });

  it('does not remember unknown connections', async () => {
    const source = new MemoryConnections();
    const cache = new CachedConnectionSource(source, { ttlMs: 60_000 });
    expect(await cache.find(ORG, 'a')).toBeNull();
    source.add(ORG, 'a', 'conn-1', 'whsec_1');
    expect((await cache.find(ORG, 'a'))?.connectionId).toBe('conn-1');
  });

  it('shares one lookup between concurrent misses', async () => {
    const source = new MemoryConnections();
    source.add(ORG, 'a', 'conn-1', 'whsec_1');
    const cache = new CachedConnectionSource(source, { ttlMs: 60_000 });
    await Promise.all(Array.from({ length: 20 }, () => cache.find(ORG, 'a')));
    expect(source.lookups).toBe(1);
  });

  it('evicts the oldest entry beyond the bound', async () => {
    const source = new MemoryConnections();
    for (const code of ['a', 'b', 'c']) source.add(ORG, code, `conn-${code}`, 'whsec');
    const cache = new CachedConnectionSource(source, { ttlMs: 60_000, maxEntries: 2 });
    await cache.find(ORG, 'a');
    await cache.find(ORG, 'b');
    await cache.find(ORG, 'c');
    expect(source.lookups).toBe(3);
    await cache.find(ORG, 'c');
    expect(source.lookups).toBe(3);
    await cache.find(ORG, 'a');
    expect(source.lookups).toBe(4);
  });
});
