import { emulatorControls } from '@payrail/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormSession, type PageResult, text } from './browser-session.js';
import { type RunningSystem, startRunningSystem } from './running-system.js';

/** Re-reads a page until it shows what the worker should produce; bounded, never a fixed sleep. */
async function readUntil(read: () => Promise<PageResult>, ok: (page: PageResult) => boolean, what: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await read();
    if (ok(page)) return page;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('an invoice whose payment Stripe is still processing (real servers and worker)', () => {
  let system: RunningSystem;
  let s: FormSession;
  beforeAll(async () => {
    system = await startRunningSystem();
    // Over real HTTP, as a browser without JavaScript would: no automatic redirects.
    const http = {
      request: (url: string, init?: RequestInit) => fetch(url, { ...init, redirect: 'manual' }),
    };
    s = new FormSession(http, system.apiUrl);
    await s.get('/ui/sign-in');
    expect((await s.post('/ui/sign-in', { api_key: system.apiKey })).status).toBe(303);
    await s.get('/ui/settings/integrations/stripe/new');
    await s.post('/ui/settings/integrations/stripe', {
      name: 'US',
      code: 'stripe_us',
      secret_key: 'sk_test_ach_flow',
    });
  });
  afterAll(() => system?.stop());

  it('disables retry and void with the reason, and shows the API refusal when retry is posted anyway', async () => {
    await s.get('/ui/customers/new');
    const created = await s.post('/ui/customers', {
      external_id: 'cust_ach',
      name: 'ACH Payer Inc',
      currency: 'USD',
      provider: 'stripe',
      connection_code: 'stripe_us',
      stripe_customer: 'create',
      methods: ['us_bank_account'],
    });
    expect(created.status).toBe(303);

    await s.get('/ui/customers/cust_ach');
    const withLink = await s.follow(await s.post('/ui/customers/cust_ach/checkout-url', {}));
    const url = /href="([^"]+)" id="checkout-link"/.exec(withLink.html)?.[1] ?? '';
    const sessionId = /cs_[A-Za-z0-9_]+/.exec(url)?.[0];
    expect(sessionId).toBeDefined();
    const done = await emulatorControls(system.emulator.url).completeCheckout(sessionId!, {
      instrument: 'ach_processing',
    });
    expect(done.ok).toBe(true);
    await readUntil(
      () => s.get('/ui/customers/cust_ach'),
      (p) => text(p.html).includes('Default'),
      'the saved bank account',
    );

    await s.get('/ui/add-ons');
    await s.post('/ui/add-ons', { name: 'Support', code: 'support', amount: '20.00', currency: 'USD' });
    await s.get('/ui/invoices/new');
    const invoice = await s.post('/ui/invoices', { customer: 'cust_ach', add_on: 'support', units: '1' });
    expect(invoice.status).toBe(303);
    const path = invoice.location!;
    const page = await readUntil(
      () => s.get(path),
      (p) => text(p.html).includes('processing'),
      'the payment to be processing',
    );

    const shown = text(page.html.slice(page.html.indexOf('<h2>Actions')));
    expect(page.html, shown).toMatch(/id="retry-payment" disabled=""/);
    expect(page.html).toMatch(/id="void" class="danger" disabled=""/);
    expect(text(page.html)).toContain('Stripe is still processing the current payment.');

    const forced = await s.post(`${path}/retry-payment`, {});
    expect(forced.status).toBe(303);
    const after = text((await s.follow(forced)).html);
    expect(after).toContain('Stripe is still processing a payment for this invoice');
    expect(after).toMatch(/Payment status pending/);
  });

  it('says in plain words that an invoice waits for a payment method once the worker has tried', async () => {
    await s.get('/ui/customers/new');
    const created = await s.post('/ui/customers', {
      external_id: 'cust_no_method',
      name: 'No Method LLC',
      currency: 'USD',
      provider: 'stripe',
      connection_code: 'stripe_us',
      stripe_customer: 'create',
      methods: ['card'],
    });
    expect(created.status).toBe(303);
    await readUntil(
      () => s.get('/ui/customers/cust_no_method'),
      (p) => /Stripe customer cus_\w+/.test(text(p.html)),
      'the Stripe customer',
    );
    await s.get('/ui/add-ons');
    await s.post('/ui/add-ons', { name: 'Audit', code: 'audit', amount: '35.00', currency: 'USD' });
    await s.get('/ui/invoices/new');
    const invoice = await s.post('/ui/invoices', { customer: 'cust_no_method', add_on: 'audit', units: '1' });
    expect(invoice.status).toBe(303);
    const page = await readUntil(
      () => s.get(invoice.location!),
      (p) => p.html.includes('id="payment-waiting-reason"'),
      'the reason the invoice waits',
    );
    expect(text(page.html)).toContain('Not charged yet: the customer has no valid payment method.');
    expect(text(page.html)).toMatch(/Payment status pending/);
  });
});
