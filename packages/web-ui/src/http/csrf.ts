import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { CSRF_COOKIE, readCookie, writeCookie } from './cookies.js';

export const CSRF_FIELD = '_csrf';

/** Returns the request's CSRF token, issuing one when the browser has none yet. */
export function ensureCsrfToken(c: Context, base: string): string {
  const existing = readCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  writeCookie(c, CSRF_COOKIE, token, base);
  return token;
}

/**
 * Whether the browser's Origin is this site. With secure cookies configured the browser is on
 * https even when a TLS-terminating proxy forwards plain http to us.
 */
function sameOrigin(c: Context, origin: string): boolean {
  const url = new URL(c.req.url);
  return origin === url.origin || (c.get('secureCookies') === true && origin === `https://${url.host}`);
}

/**
 * Double-submit check plus an Origin check: a cross-site form can neither read our cookie to
 * echo it nor forge the browser's Origin header.
 */
export function csrfProblem(c: Context, submitted: string | undefined): string | null {
  const origin = c.req.header('origin');
  if (origin && origin !== 'null' && !sameOrigin(c, origin)) {
    return 'This form was sent from another site.';
  }
  const cookie = readCookie(c, CSRF_COOKIE);
  if (!cookie || !submitted) return 'The form has expired. Reload the page and try again.';
  const a = Buffer.from(cookie);
  const b = Buffer.from(submitted);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return 'The form has expired. Reload the page and try again.';
  }
  return null;
}
