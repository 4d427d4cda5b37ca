import { describe, expect, it } from 'vitest';
import { readCapped } from './read-capped.js';

const CHUNK = 1000;

/** A body without end that counts what was pulled from it and whether it was cancelled. */
function endless() {
  const state = { pulled: 0, cancelled: false };
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        state.pulled += CHUNK;
        yield new Uint8Array(CHUNK).fill(97);
      }
    } finally {
      state.cancelled = true;
    }
  }
  return { body: body(), state };
}

async function* of(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const size of sizes) yield new Uint8Array(size).fill(98);
}

describe('readCapped', () => {
  it('stops a body without end at the cap and cancels it', async () => {
    const { body, state } = endless();
    const read = await readCapped(body, 64 * 1024);
    expect(read.overCap).toBe(true);
    expect(read.bytes.byteLength).toBe(64 * 1024);
    expect(read.bytesRead).toBeLessThanOrEqual(64 * 1024 + CHUNK);
    expect(state.pulled).toBe(read.bytesRead);
    expect(state.cancelled).toBe(true);
  });

  it('reads a body of exactly the cap whole', async () => {
    const read = await readCapped(of(10, 20, 30), 60);
    expect(read).toMatchObject({ bytesRead: 60, overCap: false });
    expect(read.bytes.byteLength).toBe(60);
  });

  it('keeps the first bytes of a body one byte over the cap', async () => {
    const read = await readCapped(of(30, 31), 60);
    expect(read).toMatchObject({ bytesRead: 61, overCap: true });
    expect(read.bytes.byteLength).toBe(60);
  });

  it('reads an empty or absent body as nothing', async () => {
    expect(await readCapped(null, 10)).toEqual({ bytes: new Uint8Array(0), bytesRead: 0, overCap: false });
    expect((await readCapped(of(), 10)).bytesRead).toBe(0);
  });
});
