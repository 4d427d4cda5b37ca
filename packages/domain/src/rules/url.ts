import type { ValidationCode } from '../errors.js';
import { err, ok, type Result } from '../result.js';

export const MAX_SUCCESS_REDIRECT_URL_LENGTH = 1024;

/** An `http://` or `https://` URL with a host, at most 1024 characters. */
export function checkSuccessRedirectUrl(value: string): Result<string, ValidationCode> {
  if (value.length > MAX_SUCCESS_REDIRECT_URL_LENGTH) return err('value_is_too_long');
  if (!/^https?:\/\//i.test(value)) return err('url_is_invalid');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return err('url_is_invalid');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    return err('url_is_invalid');
  return ok(value);
}
