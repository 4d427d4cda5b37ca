import { Hono } from 'hono';
import { ApiClient, type ApiFetch } from '../http/api-client.js';
import { clearCookie, KEY_COOKIE, writeCookie } from '../http/cookies.js';
import { field, type UiEnv } from '../http/env.js';
import { setFlash } from '../http/flash.js';
import { SignInPage } from '../pages/sign-in.js';

/** The key stays for a working day; signing out or a rejected key clears it sooner. */
const SESSION_SECONDS = 12 * 60 * 60;

export function sessionRoutes(api: ApiFetch) {
  const app = new Hono<UiEnv>();

  app.get('/sign-in', (c) => c.html(<SignInPage view={c.get('view')} />));

  app.post('/sign-in', async (c) => {
    const view = c.get('view');
    const key = field(c.get('form'), 'api_key');
    if (!key) return c.html(<SignInPage view={view} errors={['Enter your organization’s API key.']} />, 422);
    // Any authenticated read proves the key; the UI keeps nothing else about the organization.
    const probe = await new ApiClient(api, new URL(c.req.url).origin, key).get('/stripe_connections', {
      per_page: 1,
    });
    if (!probe.ok) {
      const message =
        probe.status === 401
          ? 'That API key was not accepted. Check it and try again.'
          : `The API could not be reached (HTTP ${probe.status}). Try again in a moment.`;
      return c.html(<SignInPage view={view} errors={[message]} />, probe.status === 401 ? 401 : 502);
    }
    writeCookie(c, KEY_COOKIE, key, view.base || '/', SESSION_SECONDS);
    return c.redirect(`${view.base}/customers`, 303);
  });

  app.post('/sign-out', (c) => {
    const view = c.get('view');
    clearCookie(c, KEY_COOKIE, view.base || '/');
    setFlash(c, view.base || '/', { notice: 'You are signed out.' });
    return c.redirect(`${view.base}/sign-in`, 303);
  });

  return app;
}
