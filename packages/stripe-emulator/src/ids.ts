import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Object ids only need to be unique and Stripe-looking; Math.random keeps id creation cheap. */
export function newId(prefix: string, length = 24): string {
  let out = `${prefix}_`;
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(Math.random() * 62)];
  return out;
}

/** Secrets (webhook secrets, client secrets) come from the CSPRNG. */
export function newSecret(prefix: string, bytes = 24): string {
  const raw = randomBytes(bytes);
  let out = prefix;
  for (const b of raw) out += ALPHABET[b % 62];
  return out;
}
