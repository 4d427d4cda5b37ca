import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormSession, text } from './browser-session.js';
import { startUiHarness, type UiHarness } from './harness.js';

const KEY = 'sk_test_webui_ok_5678';

describe('Settings → Integrations → Stripe', () => {
  let h: UiHarness;
  let s: FormSession;
  beforeAll(async () => {
    h = await startUiHarness();
    s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    await s.post('/ui/sign-in', { api_key: h.apiKey });
  });
  afterAll(() => h.close());

  it('reaches Stripe from Settings through the Integrations tab', async () => {
    const settings = await s.get('/ui/settings/integrations');
    expect(settings.status).toBe(200);
    expect(text(settings.html)).toContain('Integrations');
    expect(settings.html).toContain('href="/ui/settings/integrations/stripe"');
    const list = await s.get('/ui/settings/integrations/stripe');
    expect(text(list.html)).toContain('No Stripe account is connected');
  });

  it("shows Stripe's message for a rejected key, keeps the typed fields but not the key, stores nothing", async () => {
    await s.get('/ui/settings/integrations/stripe/new');
    const res = await s.post('/ui/settings/integrations/stripe', {
      name: 'Main account',
      code: 'stripe_main',
      secret_key: 'sk_test_invalid_0000',
      success_redirect_url: '',
    });
    expect(res.status).toBe(422);
    expect(text(res.html)).toContain('Invalid API Key provided');
    expect(res.html).toContain('value="Main account"');
    expect(res.html).not.toContain('sk_test_invalid_0000');
    expect(text((await s.get('/ui/settings/integrations/stripe')).html)).toContain(
      'No Stripe account is connected',
    );
  });

  it('connects with a valid key and never renders the key back', async () => {
    await s.get('/ui/settings/integrations/stripe/new');
    const res = await s.post('/ui/settings/integrations/stripe', {
      name: 'Main account',
      code: 'stripe_main',
      secret_key: KEY,
      success_redirect_url: '',
    });
    expect(res.status).toBe(303);
    const list = await s.follow(res);
    const visible = text(list.html);
    expect(visible).toContain('Connected to Stripe as “Main account”');
    expect(visible).toContain('stripe_main');
    expect(list.html).not.toContain(KEY);
    expect(visible).toContain('5678');
  });

  it('explains the http/https rule inline, shows the refusal, then saves and deletes the URL', async () => {
    const list = await s.get('/ui/settings/integrations/stripe');
    const edit = /href="(\/ui\/settings\/integrations\/stripe\/[0-9a-f-]{36})"/.exec(list.html)?.[1];
    expect(edit).toBeDefined();
    const form = await s.get(edit!);
    expect(text(form.html)).toContain('Must begin with http:// or https://');
    expect(form.html).not.toContain(KEY);

    const bad = await s.post(edit!, {
      name: 'Main account',
      code: 'stripe_main',
      success_redirect_url: 'ftp://shop.example',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('role="alert"');
    expect(bad.html).toContain('value="ftp://shop.example"');
    expect(text(bad.html)).toMatch(/http:\/\/ or https:\/\//);

    const good = await s.post(edit!, {
      name: 'Main account',
      code: 'stripe_main',
      success_redirect_url: 'https://shop.example/thanks',
    });
    expect(good.status).toBe(303);
    expect(text((await s.follow(good)).html)).toContain('https://shop.example/thanks');

    await s.get(edit!);
    const removed = await s.post(edit!, {
      name: 'Main account',
      code: 'stripe_main',
      success_redirect_url: 'https://shop.example/thanks',
      remove_redirect_url: '1',
    });
    const after = text((await s.follow(removed)).html);
    expect(after).toContain('New checkout links end on Stripe’s page');
    expect(after).not.toContain('https://shop.example/thanks');
  });

  it('deletes a connection only with the confirmation ticked', async () => {
    const list = await s.get('/ui/settings/integrations/stripe');
    const edit = /href="(\/ui\/settings\/integrations\/stripe\/[0-9a-f-]{36})"/.exec(list.html)?.[1];
    await s.get(edit!);
    const unconfirmed = await s.post(`${edit}/delete`, {});
    expect(text((await s.follow(unconfirmed)).html)).toContain('Tick the confirmation box');
    const confirmed = await s.post(`${edit}/delete`, { confirm: '1' });
    const after = text((await s.follow(confirmed)).html);
    expect(after).toContain('Deleted the connection');
    expect(after).toContain('No Stripe account is connected');
  });
});
