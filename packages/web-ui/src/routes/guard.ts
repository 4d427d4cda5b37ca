import type { Context } from 'hono';
import type { ApiErrorBody } from '../http/api-client.js';
import { clearCookie, SESSION_COOKIE } from '../http/cookies.js';
import type { UiEnv } from '../http/env.js';
import { setFlash } from '../http/flash.js';

/**
 * A 401 on a signed-in page means the session's key stopped working (revoked or rotated): end the
 * session and ask again instead of showing a broken page. Other errors are the page's to show.
 */
export function signedOut(c: Context<UiEnv>, error: ApiErrorBody): Response | null {
  if (error.status !== 401) return null;
  // A Stripe authentication failure also comes back as 401, but with Stripe's message.
  if (error.error && error.error !== 'Unauthorized') return null;
  const base = c.get('view').base || '/';
  clearCookie(c, SESSION_COOKIE, base);
  c.set('endSession', true);
  setFlash(c, base, { error: 'Your API key is no longer accepted. Sign in again.' });
  return c.redirect(`${c.get('view').base}/sign-in`, 303);
}

/** After a successful POST: Post/Redirect/Get with a one-line confirmation. */
export function done(c: Context<UiEnv>, path: string, notice: string): Response {
  const view = c.get('view');
  setFlash(c, view.base || '/', { notice });
  return c.redirect(`${view.base}${path}`, 303);
}

/** After a refused POST whose page cannot simply re-render (an action button on a detail page). */
export function refused(c: Context<UiEnv>, path: string, error: string): Response {
  const view = c.get('view');
  setFlash(c, view.base || '/', { error });
  return c.redirect(`${view.base}${path}`, 303);
}
