import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiClient, type ApiFetch } from './http/api-client.js';
import { clearCookie, LEGACY_KEY_COOKIE, readCookie, SESSION_COOKIE } from './http/cookies.js';
import { CSRF_FIELD, csrfProblem, ensureCsrfToken } from './http/csrf.js';
import { field, type UiEnv } from './http/env.js';
import { takeFlash } from './http/flash.js';
import { MAX_FORM_BYTES, readForm } from './http/form.js';
import type { UiSessions } from './http/sessions.js';
import { ProblemPage } from './pages/problem.js';
import { addOnRoutes } from './routes/add-ons.js';
import { customerRoutes } from './routes/customers.js';
import { invoiceRoutes } from './routes/invoices.js';
import { sessionRoutes } from './routes/session.js';
import { stripeRoutes } from './routes/stripe.js';

export interface UiOptions {
  /** Payrail's REST API, called in-process (e.g. the API app's `fetch`). */
  readonly api: ApiFetch;
  /** The path the UI is mounted at; links and cookies are scoped to it. `/ui` by default. */
  readonly basePath?: string;
  /** The Stripe emulator's URL in development, shown as a hint on the Stripe pages. */
  readonly emulatorUrl?: string;
  /** Server-side sessions: the cookie holds a token, never the API key (decision 0703). */
  readonly sessions: UiSessions;
  /**
   * The `Secure` attribute of every cookie, from configuration: true when browsers reach the UI
   * over https, even through a TLS-terminating proxy that forwards plain http.
   */
  readonly secureCookies: boolean;
}

/** Pages anyone may open; everything else needs a session. */
const PUBLIC = new Set(['/sign-in']);

// Pages render from a fresh API read, and they show data the next user of the browser must not see.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * The web UI: server-rendered pages that are a client of Payrail's own REST API, signed in with
 * the organization's API key, which stays on the server behind a session. Mount it at `basePath`:
 * `app.route('/ui', createUiApp({ api, sessions, secureCookies }))`.
 */
export function createUiApp(options: UiOptions): Hono<UiEnv> {
  const base = (options.basePath ?? '/ui').replace(/\/+$/, '');
  const app = new Hono<UiEnv>();

  app.use('*', async (c, next) => {
    // Set first so that early refusals and redirects carry them too.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    c.set('secureCookies', options.secureCookies);
    c.set('endSession', false);
    if (readCookie(c, LEGACY_KEY_COOKIE) !== undefined) clearCookie(c, LEGACY_KEY_COOKIE, base || '/');
    const csrf = ensureCsrfToken(c, base || '/');
    const flash = c.req.method === 'GET' ? takeFlash(c, base || '/') : {};
    c.set('view', { base, csrf, flash });
    const path = c.req.path.startsWith(base) ? c.req.path.slice(base.length) || '/' : c.req.path;

    // The session comes from the cookie alone: a visitor without one is sent to sign in before a
    // byte of the body is read.
    if (!PUBLIC.has(path)) {
      const token = readCookie(c, SESSION_COOKIE);
      const session = token ? await options.sessions.resume(token) : null;
      if (!token || !session) {
        if (token) clearCookie(c, SESSION_COOKIE, base || '/');
        return c.redirect(`${base}/sign-in`, 303);
      }
      c.set('sessionToken', token);
      c.set('client', new ApiClient(options.api, new URL(c.req.url).origin, session.apiKey));
    }
    await next();
    if (c.get('endSession')) await options.sessions.end(c.get('sessionToken'));
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => c.html(<ProblemPage view={c.get('view')} title="This form is too large" />, 413),
    }),
  );

  app.use('*', async (c, next) => {
    if (c.req.method === 'POST') {
      const form = await readForm(c);
      if (!form) return c.html(<ProblemPage view={c.get('view')} title="Unsupported request" />, 415);
      const problem = csrfProblem(c, field(form, CSRF_FIELD) || undefined);
      if (problem) return c.html(<ProblemPage view={c.get('view')} title={problem} />, 403);
      c.set('form', form);
    }
    await next();
  });

  app.get('/', (c) => c.redirect(`${base}/customers`, 303));
  app.route('/', sessionRoutes(options.sessions));
  app.route('/', stripeRoutes(options.emulatorUrl));
  app.route('/', customerRoutes());
  app.route('/', invoiceRoutes());
  app.route('/', addOnRoutes());
  app.notFound((c) => c.html(<ProblemPage view={c.get('view')} title="Page not found" />, 404));
  return app;
}
