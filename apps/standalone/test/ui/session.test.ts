import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormSession, text } from './browser-session.js';
import { startUiHarness, type UiHarness } from './harness.js';

describe('sign-in, sign-out and request protection', () => {
  let h: UiHarness;
  beforeAll(async () => {
    h = await startUiHarness();
  });
  afterAll(() => h.close());

  it('sends a visitor without a key to the sign-in page', async () => {
    const s = new FormSession(h.app);
    const res = await s.get('/ui/customers');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/ui/sign-in');
    const page = await s.follow(res);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="api_key">');
    expect(page.html).toContain('type="password"');
  });

  it('refuses an unknown key and sets no session cookie', async () => {
    const s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    const res = await s.post('/ui/sign-in', { api_key: 'pr_not_a_real_key' });
    expect(res.status).toBe(401);
    expect(text(res.html)).toContain('That API key was not accepted');
    expect(s.cookies.has('payrail_ui_session')).toBe(false);
  });

  it('keeps a random session token, never the API key, in an HTTP-only, SameSite=Lax cookie scoped to the UI', async () => {
    const s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    const res = await s.post('/ui/sign-in', { api_key: h.apiKey });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/ui/customers');
    for (const line of res.setCookies) expect(decodeURIComponent(line)).not.toContain(h.apiKey);
    const cookie = res.setCookies.find((c) => c.startsWith('payrail_ui_session='));
    expect(cookie).toMatch(/^payrail_ui_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/ui/);
    expect(cookie).toMatch(/Max-Age=43\d{3}/); // the absolute lifetime, 12 hours
    const page = await s.follow(res);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(h.apiKey);
    expect(page.html).toContain('aria-current="page"');

    // Two sign-ins are two sessions with different tokens.
    const other = new FormSession(h.app);
    await other.get('/ui/sign-in');
    await other.post('/ui/sign-in', { api_key: h.apiKey });
    expect(other.cookies.get('payrail_ui_session')).not.toBe(s.cookies.get('payrail_ui_session'));
  });

  it('ends the session on sign-out: the old cookie no longer works', async () => {
    const s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    await s.post('/ui/sign-in', { api_key: h.apiKey });
    const jar = new Map(s.cookies);
    expect((await s.get('/ui/customers')).status).toBe(200);

    const out = await s.post('/ui/sign-out', {});
    expect(out.status).toBe(303);
    expect(s.cookies.has('payrail_ui_session')).toBe(false);
    const signIn = await s.follow(out);
    expect(text(signIn.html)).toContain('You are signed out.');
    expect((await s.get('/ui/customers')).location).toBe('/ui/sign-in');

    // Someone who copied the cookies before sign-out replays them.
    const replay = new FormSession(h.app);
    for (const [name, value] of jar) replay.cookies.set(name, value);
    const res = await replay.get('/ui/customers');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/ui/sign-in');
    const hash = createHash('sha256')
      .update(jar.get('payrail_ui_session') ?? '')
      .digest('hex');
    const rows: unknown[] = await h.db.orm.em
      .fork()
      .execute(`select id from "${h.db.schema}".ui_sessions where token_hash = ?`, [hash]);
    expect(rows).toEqual([]);
  });

  it('marks cookies Secure from configuration, not from the request URL (TLS ends at a proxy)', async () => {
    // The harness's public URL is https; the request reaching the app is plain http.
    const s = new FormSession(h.app, 'http://localhost');
    const first = await s.get('/ui/sign-in');
    expect(first.setCookies.find((c) => c.startsWith('payrail_ui_csrf='))).toMatch(/; Secure/);
    // The browser is on https, so its Origin is https even though the request is http.
    const res = await s.post('/ui/sign-in', { api_key: h.apiKey }, { origin: 'https://localhost' });
    expect(res.status).toBe(303);
    expect(res.setCookies.find((c) => c.startsWith('payrail_ui_session='))).toMatch(/; Secure/);
    const crossSite = await s.post('/ui/sign-out', {}, { origin: 'https://localhost.evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a POST without the CSRF token or from another origin, and changes nothing', async () => {
    const s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    await s.post('/ui/sign-in', { api_key: h.apiKey });
    await s.get('/ui/add-ons');
    const fields = { name: 'Setup', code: 'setup_csrf', amount: '10.00', currency: 'EUR' };

    const noToken = await s.post('/ui/add-ons', fields, { csrf: null });
    expect(noToken.status).toBe(403);
    const wrongToken = await s.post('/ui/add-ons', fields, { csrf: 'x'.repeat(32) });
    expect(wrongToken.status).toBe(403);
    const crossSite = await s.post('/ui/add-ons', fields, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(text(crossSite.html)).toContain('sent from another site');

    expect(text((await s.get('/ui/add-ons')).html)).not.toContain('setup_csrf');
    const ok = await s.post('/ui/add-ons', fields);
    expect(ok.status).toBe(303);
    expect(text((await s.follow(ok)).html)).toContain('setup_csrf');
  });

  it('sends headers that keep the pages out of caches and frames', async () => {
    const s = new FormSession(h.app);
    const res = await h.app.request('http://localhost/ui/sign-in');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const refused = await h.app.request('http://localhost/ui/add-ons', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    // No session: sent to sign in, the form unread.
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/ui/sign-in');
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
    expect((await s.get('/ui/nowhere')).status).toBe(303);
  });

  it('forgets a session token it does not know, and an API key cookie left by an earlier version', async () => {
    const s = new FormSession(h.app);
    s.cookies.set('payrail_ui_session', 'x'.repeat(43));
    s.cookies.set('payrail_ui_key', h.apiKey);
    const res = await s.get('/ui/customers');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/ui/sign-in');
    expect(s.cookies.has('payrail_ui_session')).toBe(false);
    expect(s.cookies.has('payrail_ui_key')).toBe(false);
  });

  it('ends the session when its API key is revoked', async () => {
    const created = await h.db.organizations.createApiKey(
      (await h.db.organizations.authenticate(h.apiKey)) ?? '',
      'revoked later',
    );
    const s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    await s.post('/ui/sign-in', { api_key: created.key });
    expect((await s.get('/ui/customers')).status).toBe(200);
    await h.db.organizations.revokeApiKey(
      (await h.db.organizations.authenticate(h.apiKey)) ?? '',
      created.id,
    );
    const res = await s.get('/ui/customers');
    expect(res.location).toBe('/ui/sign-in');
    expect(s.cookies.has('payrail_ui_session')).toBe(false);
  });
});
