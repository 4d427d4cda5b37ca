import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session token (decision 0703): random, looked up by its SHA-256 on the server. */
export const SESSION_COOKIE = 'payrail_ui_session';
/** Where earlier versions kept the raw API key; cleared whenever a browser still sends it. */
export const LEGACY_KEY_COOKIE = 'payrail_ui_key';
/** The double-submit CSRF token; forms echo it in a hidden field. */
export const CSRF_COOKIE = 'payrail_ui_csrf';
/** A one-shot message (and the last checkout link) carried across a Post/Redirect/Get. */
export const FLASH_COOKIE = 'payrail_ui_flash';

/**
 * From configuration (`UiOptions.secureCookies`), never from the request URL: behind a
 * TLS-terminating proxy the request reaching us is plain http.
 */
function secure(c: Context): boolean {
  return c.get('secureCookies') === true;
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}

export function writeCookie(c: Context, name: string, value: string, path: string, maxAge?: number): void {
  setCookie(c, name, value, {
    path,
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(c),
    ...(maxAge === undefined ? {} : { maxAge }),
  });
}

export function clearCookie(c: Context, name: string, path: string): void {
  deleteCookie(c, name, { path, secure: secure(c) });
}
