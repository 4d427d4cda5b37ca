import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret without storing it in clear', () => {
    const sealed = box.seal('sk_test_abc123');
    expect(sealed).not.toContain('sk_test_abc123');
    expect(box.open(sealed)).toBe('sk_test_abc123');
  });

  it('uses a fresh nonce each time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('rejects a tampered ciphertext and a foreign key', () => {
    const sealed = box.seal('whsec_123');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('accepts a hex key from the environment and refuses a short one', () => {
    expect(SecretBox.fromEnv('ab'.repeat(32)).open(SecretBox.fromEnv('ab'.repeat(32)).seal('x'))).toBe('x');
    expect(() => SecretBox.fromEnv('short')).toThrow(/32-byte/);
  });
});
