import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, sealContext } from './secret-box.js';

const here = sealContext('stripe_connections.secret_key_sealed', 'org-a', 'conn-1');

/** What the previous format (`v1`, no key id, no associated data) stored. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('round-trips a secret without storing it in clear, and names the key it used', () => {
    const sealed = box.seal('sk_test_abc123', here);
    expect(sealed).not.toContain('sk_test_abc123');
    expect(sealed.startsWith(`v2:${box.keyId}:`)).toBe(true);
    expect(box.open(sealed, here)).toBe('sk_test_abc123');
    expect(box.isCurrent(sealed)).toBe(true);
  });

  it('uses a fresh nonce each time', () => {
    expect(box.seal('same', here)).not.toBe(box.seal('same', here));
  });

  it('opens a secret only in the row and column it was sealed for', () => {
    const sealed = box.seal('sk_test_abc123', here);
    const otherOrg = sealContext('stripe_connections.secret_key_sealed', 'org-b', 'conn-1');
    const otherRow = sealContext('stripe_connections.secret_key_sealed', 'org-a', 'conn-2');
    const otherColumn = sealContext('stripe_connections.webhook_secret_sealed', 'org-a', 'conn-1');
    for (const context of [otherOrg, otherRow, otherColumn])
      expect(() => box.open(sealed, context)).toThrow();
  });

  it('rejects a tampered ciphertext, a swapped key id, a truncated tag and a foreign key', () => {
    const sealed = box.seal('whsec_123', here);
    const parts = sealed.split(':');
    expect(() =>
      box.open([...parts.slice(0, 4), Buffer.from('tampered').toString('base64url')].join(':'), here),
    ).toThrow();
    expect(() => box.open(['v2', 'AAAAAAAA', ...parts.slice(2)].join(':'), here)).toThrow(/unknown key/);
    const shortTag = Buffer.from(parts[3] ?? '', 'base64url')
      .subarray(0, 4)
      .toString('base64url');
    expect(() => box.open([...parts.slice(0, 3), shortTag, parts[4]].join(':'), here)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, here)).toThrow(/unknown key/);
  });

  it('opens with a previous key until the secret is re-sealed under the current one', () => {
    const next = randomBytes(32);
    const old = box.seal('sk_live_old', here);
    const rotating = new SecretBox(next, [key]);
    expect(rotating.open(old, here)).toBe('sk_live_old');
    expect(rotating.isCurrent(old)).toBe(false);
    const resealed = rotating.seal(rotating.open(old, here), here);
    expect(new SecretBox(next).open(resealed, here)).toBe('sk_live_old');
    expect(() => new SecretBox(next).open(old, here)).toThrow(/unknown key/);
  });

  it('still opens the previous format, which is never current', () => {
    const legacy = sealV1(key, 'sk_test_legacy');
    expect(box.open(legacy, here)).toBe('sk_test_legacy');
    expect(new SecretBox(randomBytes(32), [key]).open(legacy, here)).toBe('sk_test_legacy');
    expect(box.isCurrent(legacy)).toBe(false);
    expect(() => new SecretBox(randomBytes(32)).open(legacy, here)).toThrow(/unknown key/);
  });

  it('accepts hex or base64 keys from the environment and refuses a short one', () => {
    const a = 'ab'.repeat(32);
    const b = randomBytes(32).toString('base64');
    const sealed = SecretBox.fromEnv(b).seal('x', here);
    expect(SecretBox.fromEnv(a, ` ${b} ,`).open(sealed, here)).toBe('x');
    expect(() => SecretBox.fromEnv('short')).toThrow(/32-byte/);
    expect(() => SecretBox.fromEnv(a, 'short')).toThrow(/32-byte/);
  });
});
