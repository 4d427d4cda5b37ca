import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Object ids only need to be unique and Stripe-looking; Math.random keeps id creation cheap. */
export function newId(prefix: string, length = 24): string {
  let out = `${prefix}_`;
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(Math.random() * 62)];
  return out;
}

// One CSPRNG call per 4 KiB of secret material instead of one per secret.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** Secrets (webhook secrets, client secrets) come from the CSPRNG. */
export function newSecret(prefix: string, length = 24): string {
  let out = prefix;
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps the alphabet uniform.
  while (out.length < prefix.length + length) {
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const b = pool[offset++] as number;
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}
