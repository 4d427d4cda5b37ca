import { describe, expect, it } from 'vitest';
import { checkSuccessRedirectUrl } from './url.js';

describe('checkSuccessRedirectUrl', () => {
  it.each([
    'https://example.com',
    'http://example.com/thanks?x=1',
    'HTTPS://EXAMPLE.COM/a',
    'https://e.com/'.padEnd(1024, 'a'),
  ])('accepts url #%#', (url) => {
    expect(checkSuccessRedirectUrl(url)).toEqual({ ok: true, value: url });
  });

  it.each([
    ['url_is_invalid', 'ftp://example.com'],
    ['url_is_invalid', 'example.com'],
    ['url_is_invalid', ''],
    ['url_is_invalid', 'https://'],
    ['url_is_invalid', 'javascript:alert(1)'],
    ['url_is_invalid', 'http:/example.com'],
    ['value_is_too_long', 'https://e.com/'.padEnd(1025, 'a')],
  ])('rejects with %s (case %#)', (code, url) => {
    expect(checkSuccessRedirectUrl(url)).toEqual({ ok: false, error: code });
  });
});
