import { Hono } from 'hono';
import { clearCookie, readCookie, SESSION_COOKIE, writeCookie } from '../http/cookies.js';
import { field, type UiEnv } from '../http/env.js';
import { setFlash } from '../http/flash.js';
import type { UiSessions } from '../http/sessions.js';
import { SignInPage } from '../pages/sign-in.js';

export function sessionRoutes(sessions: UiSessions) {
  const app = new Hono<UiEnv>();

  app.get('/sign-in', (c) => c.html(<SignInPage view={c.get('view')} />));

  app.post('/sign-in', async (c) => {
    const view = c.get('view');
    const key = field(c.get('form'), 'api_key');
    if (!key) return c.html(<SignInPage view={view} errors={['Enter your organization’s API key.']} />, 422);
    const started = await sessions.start(key);
    if (!started) {
      return c.html(
        <SignInPage view={view} errors={['That API key was not accepted. Check it and try again.']} />,
        401,
      );
    }
    // A session this browser had before is over: a signed-in browser holds one session.
    const previous = readCookie(c, SESSION_COOKIE);
    if (previous) await sessions.end(previous);
    const maxAge = Math.max(1, Math.floor((started.expiresAt.getTime() - Date.now()) / 1000));
    writeCookie(c, SESSION_COOKIE, started.token, view.base || '/', maxAge);
    return c.redirect(`${view.base}/customers`, 303);
  });

  app.post('/sign-out', async (c) => {
    const view = c.get('view');
    await sessions.end(c.get('sessionToken'));
    clearCookie(c, SESSION_COOKIE, view.base || '/');
    setFlash(c, view.base || '/', { notice: 'You are signed out.' });
    return c.redirect(`${view.base}/sign-in`, 303);
  });

  return app;
}
