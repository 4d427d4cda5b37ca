import { describe, expect, it } from 'vitest';
import { Secret } from './secret.js';

describe('Secret', () => {
  const key = new Secret('sk_test_51abcdefgh4242');

  it('never shows its value when printed or serialized', () => {
    expect(String(key)).toBe('[secret]');
    expect(`${key}`).toBe('[secret]');
    expect(JSON.stringify({ key })).toBe('{"key":"[secret]"}');
  });

  it.each([
    ['sk_test_51abcdefgh4242', 'sk_test_…4242'],
    ['sk_live_xyz98765', 'sk_live_…8765'],
    ['whsec_abcdef123', 'whsec_…f123'],
    ['short', '****'],
  ])('masks %s as %s', (value, masked) => {
    expect(new Secret(value).masked()).toBe(masked);
  });

  it('reveals on demand and compares by value', () => {
    expect(key.reveal()).toBe('sk_test_51abcdefgh4242');
    expect(key.equals(new Secret('sk_test_51abcdefgh4242'))).toBe(true);
    expect(key.equals(new Secret('sk_test_other'))).toBe(false);
  });
});
