import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The organization's API key: the UI's whole session. HTTP-only so page scripts never see it. */
export const KEY_COOKIE = 'payrail_ui_key';
/** The double-submit CSRF token; forms echo it in a hidden field. */
export const CSRF_COOKIE = 'payrail_ui_csrf';
/** A one-shot message (and the last checkout link) carried across a Post/Redirect/Get. */
export const FLASH_COOKIE = 'payrail_ui_flash';

function secure(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
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
