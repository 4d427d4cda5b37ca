import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormSession, text } from './browser-session.js';
import { startUiHarness, type UiHarness } from './harness.js';

describe('customers, add-ons and invoices', () => {
  let h: UiHarness;
  let s: FormSession;
  beforeAll(async () => {
    h = await startUiHarness();
    s = new FormSession(h.app);
    await s.get('/ui/sign-in');
    await s.post('/ui/sign-in', { api_key: h.apiKey });
    await s.get('/ui/settings/integrations/stripe/new');
    const connected = await s.post('/ui/settings/integrations/stripe', {
      name: 'Main',
      code: 'stripe_main',
      secret_key: 'sk_test_webui_customers',
    });
    expect(connected.status).toBe(303);
  });
  afterAll(() => h.close());

  it('offers Stripe with both customer options and the payment methods with their currency limits', async () => {
    const page = await s.get('/ui/customers/new');
    const visible = text(page.html);
    expect(visible).toContain('Create the customer in Stripe');
    expect(visible).toContain('Link an existing Stripe customer');
    expect(visible).toContain('SEPA Direct Debit EUR invoices only');
    expect(visible).toContain('Bacs Direct Debit GBP invoices only');
    expect(visible).toContain('Link Any currency; only together with Card');
    expect(visible).toContain('Boleto BRL invoices only');
    expect(visible).toContain('Crypto (stablecoins) USD invoices only');
    expect(visible).toContain('Bank transfer USD, EUR, GBP, JPY or MXN invoices; on its own only');
    expect(page.html).toContain('<option value="stripe_main" selected="">');
    // every input has a label
    for (const id of page.html.matchAll(/<input id="([^"]+)"/g)) {
      expect(page.html).toContain(`for="${id[1]}"`);
    }
  });

  it('creates a customer in Stripe, escapes what it shows, and generates a checkout link with its expiry', async () => {
    await s.get('/ui/customers/new');
    const res = await s.post('/ui/customers', {
      external_id: 'cust_ui_1',
      name: '<script>alert(1)</script> Ltd',
      email: 'billing@example.com',
      currency: 'EUR',
      provider: 'stripe',
      connection_code: 'stripe_main',
      stripe_customer: 'create',
      provider_customer_id: '',
      methods: ['card', 'sepa_debit'],
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/ui/customers/cust_ui_1');
    const page = await s.follow(res);
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Ltd');
    expect(text(page.html)).toMatch(/Stripe customer cus_\w+/);
    expect(text(page.html)).toContain('Card, SEPA Direct Debit');

    const generated = await s.post('/ui/customers/cust_ui_1/checkout-url', {});
    expect(generated.status).toBe(303);
    const withLink = await s.follow(generated);
    const href =
      /id="checkout-link"[^>]*>([^<]+)</.exec(withLink.html)?.[1] ??
      /href="([^"]+)" id="checkout-link"/.exec(withLink.html)?.[1];
    expect(href).toContain(h.emulator.url);
    expect(text(withLink.html)).toMatch(/Expires \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text(withLink.html)).toContain('Regenerate checkout link');
    // The link is shown once after generating; a plain reload offers to generate one again.
    expect(text((await s.get('/ui/customers/cust_ui_1')).html)).toContain('Generate checkout link');
  });

  it("re-shows the form with the API's error when the upsert is refused", async () => {
    await s.get('/ui/customers/new');
    const res = await s.post('/ui/customers', {
      external_id: 'cust_ui_2',
      name: 'Bad code',
      provider: 'stripe',
      connection_code: 'no_such_connection',
      stripe_customer: 'create',
      methods: ['card'],
    });
    expect(res.status).toBe(422);
    expect(res.html).toContain('role="alert"');
    expect(text(res.html)).toContain('no Stripe connection has this code');
    expect(res.html).toContain('value="cust_ui_2"');
    expect(text((await s.get('/ui/customers')).html)).not.toContain('cust_ui_2');
  });

  it('asks for the Stripe id when linking an existing Stripe customer, and links it when given', async () => {
    await s.get('/ui/customers/new');
    const blank = await s.post('/ui/customers', {
      external_id: 'cust_linked',
      provider: 'stripe',
      connection_code: 'stripe_main',
      stripe_customer: 'link',
      provider_customer_id: '',
      methods: ['card'],
    });
    expect(blank.status).toBe(422);
    expect(text(blank.html)).toContain('enter the id to link');
    const linked = await s.post('/ui/customers', {
      external_id: 'cust_linked',
      provider: 'stripe',
      connection_code: 'stripe_main',
      stripe_customer: 'link',
      provider_customer_id: 'cus_existing123',
      methods: ['card'],
    });
    expect(linked.status).toBe(303);
    const page = await s.follow(linked);
    expect(text(page.html)).toContain('Stripe customer cus_existing123');
    const edit = await s.get('/ui/customers/cust_linked/edit');
    expect(edit.html).toContain('value="cus_existing123"');
    expect(edit.html).toMatch(/value="link" checked=""/);
  });

  it('keeps the form and says why when Link is chosen without Card, or a bank transfer with another method', async () => {
    for (const [externalId, methods] of [
      ['cust_link_only', ['link']],
      ['cust_transfer_card', ['customer_balance', 'card']],
    ] as const) {
      await s.get('/ui/customers/new');
      const res = await s.post('/ui/customers', {
        external_id: externalId,
        name: 'Methods',
        currency: 'USD',
        provider: 'stripe',
        connection_code: 'stripe_main',
        stripe_customer: 'create',
        provider_customer_id: '',
        methods: [...methods],
      });
      expect(res.status).toBe(422);
      expect(text(res.html)).toContain('provider payment methods: is not valid');
      expect((await s.get(`/ui/customers/${externalId}`)).status).toBe(404);
    }
  });

  it('creates a bank-transfer customer, for whom no checkout link is needed', async () => {
    await s.get('/ui/customers/new');
    const res = await s.post('/ui/customers', {
      external_id: 'cust_transfer',
      name: 'Transfer',
      currency: 'USD',
      provider: 'stripe',
      connection_code: 'stripe_main',
      stripe_customer: 'create',
      provider_customer_id: '',
      methods: ['customer_balance'],
    });
    expect(res.status).toBe(303);
    expect(text((await s.follow(res)).html)).toContain('Bank transfer');
    const generated = await s.post('/ui/customers/cust_transfer/checkout-url', {});
    const shown = generated.status === 303 ? await s.follow(generated) : generated;
    expect(text(shown.html)).toContain('none of the chosen payment methods needs a checkout');
  });

  it('disables the checkout button with a reason for a customer without Stripe', async () => {
    await s.get('/ui/customers/new');
    await s.post('/ui/customers', {
      external_id: 'cust_plain',
      name: 'Plain',
      provider: 'none',
      methods: [],
    });
    const page = await s.get('/ui/customers/cust_plain');
    expect(page.html).toMatch(/<button type="submit" disabled="" aria-describedby="checkout-reason">/);
    expect(text(page.html)).toContain('Link the customer to Stripe first.');
  });

  it('creates a one-off invoice and disables the forbidden actions with their reasons', async () => {
    await s.get('/ui/add-ons');
    const bad = await s.post('/ui/add-ons', {
      name: 'Setup',
      code: 'setup',
      amount: '12.345',
      currency: 'EUR',
    });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Price: enter an amount like 49.90');
    const made = await s.post('/ui/add-ons', {
      name: 'Setup',
      code: 'setup',
      amount: '120.00',
      currency: 'EUR',
    });
    expect(text((await s.follow(made)).html)).toContain('120.00 EUR');

    await s.get('/ui/invoices/new?customer=cust_plain');
    const created = await s.post('/ui/invoices', {
      customer: 'cust_plain',
      add_on: 'setup',
      units: '2',
      description: '',
    });
    expect(created.status).toBe(303);
    const invoice = await s.follow(created);
    const visible = text(invoice.html);
    expect(visible).toContain('240.00 EUR');
    expect(visible).toMatch(/Payment status pending/);
    // unpaid: a refund is not offered, a lost dispute needs nothing more than a finalized invoice
    expect(visible).toContain('Not available: Only a paid invoice can be refunded.');
    expect(invoice.html).toMatch(/id="void"[^>]*>/);
    expect(invoice.html).not.toMatch(/id="void" class="danger" disabled/);

    const list = await s.get('/ui/invoices');
    expect(text(list.html)).toContain('240.00 EUR');
    const path = created.location!;

    const lost = await s.post(`${path}/lose-dispute`, {});
    const afterLost = await s.follow(lost);
    expect(text(afterLost.html)).toContain('Dispute lost');
    expect(afterLost.html).toMatch(/id="void" class="danger" disabled=""/);
    expect(text(afterLost.html)).toContain(
      'The payment dispute was lost, so the invoice can no longer be voided.',
    );
    expect(text((await s.get('/ui/invoices')).html)).toContain('Dispute lost');
    const lostOnly = text((await s.get('/ui/invoices?dispute_lost=1')).html);
    expect(lostOnly).toContain('240.00 EUR');
    expect(text((await s.get('/ui/invoices?payment_status=succeeded')).html)).toContain(
      'No invoice matches this filter.',
    );
    expect(text((await s.get('/ui/invoices?payment_status=pending')).html)).toContain('240.00 EUR');

    // Posted anyway (e.g. from a stale page): the API refuses and the page says why.
    const forced = await s.post(`${path}/void`, {});
    const refusal = text((await s.follow(forced)).html);
    expect(refusal).toMatch(/cannot be voided|no longer allowed/);
    expect(refusal).toContain('finalized');
  });

  it("offsets an unpaid invoice with a credit note and shows the API's refusal of a refund", async () => {
    await s.get('/ui/invoices/new');
    const created = await s.post('/ui/invoices', {
      customer: 'cust_plain',
      add_on: 'setup',
      units: '1',
      description: 'Second',
    });
    const path = created.location!;
    const lostOnly = text((await s.get('/ui/invoices?dispute_lost=1')).html);
    expect(lostOnly).toContain('240.00 EUR');
    expect(lostOnly).not.toContain('120.00 EUR');
    await s.get(path);
    const refund = await s.post(`${path}/credit-notes`, { amount: '10.00', kind: 'refund', reason: 'other' });
    expect(text((await s.follow(refund)).html)).toContain('cannot refund an invoice that is not paid');
    expect(text((await s.get(path)).html)).toContain('Not available: Only a paid invoice can be credited');
    const credit = await s.post(`${path}/credit-notes`, {
      amount: '10.00',
      kind: 'offset',
      reason: 'order_change',
    });
    expect(text((await s.follow(credit)).html)).toMatch(/Credit note \S+ issued/);
  });
  it('makes a payment link for an unpaid invoice and shows it again while it is open', async () => {
    await s.get('/ui/invoices/new');
    const created = await s.post('/ui/invoices', {
      customer: 'cust_ui_1',
      add_on: 'setup',
      units: '1',
      description: 'Linked',
    });
    const path = created.location!;
    const before = await s.get(path);
    expect(before.html).toMatch(/id="payment-link"[^>]*>/);
    expect(before.html).not.toMatch(/id="payment-link" disabled/);

    const made = await s.post(`${path}/payment-link`, {});
    expect(made.status).toBe(303);
    const page = await s.follow(made);
    const url = /href="([^"]+)" id="payment-link-url"/.exec(page.html)?.[1];
    expect(url).toContain(`${h.emulator.url}/checkout/cs_test_`);
    expect(text(page.html)).toMatch(/Expires \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text(page.html)).toContain('Waiting for the customer to pay through the payment link.');
    expect(text(page.html)).toContain('A payment link is open: the customer may be paying.');

    const again = await s.follow(await s.post(`${path}/payment-link`, {}));
    expect(/href="([^"]+)" id="payment-link-url"/.exec(again.html)?.[1]).toBe(url);
  });
});
