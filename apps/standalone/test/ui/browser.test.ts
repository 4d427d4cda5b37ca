import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startRunningSystem } from './running-system.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/ui/', import.meta.url));

/** Reloads until the page shows what the worker is expected to produce; bounded, never a fixed sleep. */
async function reloadUntil(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await page.waitForTimeout(250);
    await page.reload();
  }
}

describe('the guide’s flow in a real browser', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  const shots: string[] = [];
  const shot = async (name: string) => {
    const path = `${ARTIFACTS}${String(shots.length + 1).padStart(2, '0')}-${name}.png`;
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  };

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    system = await startRunningSystem();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    if (shots.length > 0) console.log(`UI screenshots:\n${shots.join('\n')}`);
  });

  it('connects Stripe, creates a customer, saves a card through checkout, and sees an invoice paid', async () => {
    // Sign in with the organization's API key.
    await page.goto(`${system.apiUrl}/ui/`);
    await expect.poll(() => page.url()).toContain('/ui/sign-in');
    await shot('sign-in');
    // Keyboard only: the key field has focus on arrival, and Enter submits.
    await page.keyboard.type(system.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Customers' }).waitFor();

    // Settings → Integrations → Stripe → add a connection.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Integrations' }).waitFor();
    await shot('settings-integrations');
    await page.getByRole('link', { name: 'Stripe', exact: true }).click();
    await page.getByRole('link', { name: 'Add a connection' }).click();
    await page.getByLabel('Name').fill('Main account');
    await page.getByLabel('Code').fill('stripe_main');
    await page.getByLabel('Stripe secret API key').fill('sk_test_invalid_browser');
    await page.getByRole('button', { name: 'Connect to Stripe' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Invalid API Key provided');
    await shot('stripe-rejected-key');

    await page.getByLabel('Stripe secret API key').fill('sk_test_browser_ok_4242');
    await page.getByRole('button', { name: 'Connect to Stripe' }).click();
    await page.getByText('Connected to Stripe as “Main account”').waitFor();
    expect(await page.content()).not.toContain('sk_test_browser_ok_4242');
    await shot('stripe-connected');

    // A customer created in Stripe, paying by card.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'New customer' }).click();
    await page.getByLabel('External id').fill('cust_browser');
    await page.getByLabel('Name', { exact: true }).fill('Browser Buyer GmbH');
    await page.getByLabel('Email').fill('buyer@example.com');
    await page.locator('#currency').selectOption('EUR');
    await page.getByLabel('Create the customer in Stripe').check();
    await page.getByLabel('Card', { exact: false }).first().check();
    await shot('customer-form');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByText('Customer created.').waitFor();
    expect(await page.locator('#stripe-customer').textContent()).toMatch(/^cus_/);

    // The checkout link, its expiry, then the emulator's hosted page.
    await page.getByRole('button', { name: 'Generate checkout link' }).click();
    const link = page.locator('#checkout-link');
    await link.waitFor();
    expect(await page.locator('#checkout-expiry').textContent()).toMatch(/UTC/);
    await shot('customer-checkout-link');
    const customerPage = page.url();
    await link.click();
    await page.getByRole('heading', { name: 'Save your payment details' }).waitFor();
    expect(page.url()).toContain(system.emulator.url);
    await shot('emulator-checkout');
    await page.getByRole('button', { name: 'Save payment details' }).click();
    await page.getByRole('heading', { name: 'Payment details saved' }).waitFor();

    // The worker records the saved card from Stripe's event.
    await page.goto(customerPage);
    await reloadUntil(
      page,
      async () => (await page.getByText('Default', { exact: true }).count()) > 0,
      'the saved card',
    );
    await shot('customer-card-saved');

    // An add-on, a one-off invoice, and the payment followed to success.
    await page.getByRole('link', { name: 'Add-ons' }).click();
    await page.getByLabel('Name').fill('Onboarding');
    await page.getByLabel('Code').fill('onboarding');
    await page.getByLabel('Price').fill('149.00');
    await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
    await page.getByRole('button', { name: 'Create add-on' }).click();
    await page.getByText('Add-on “Onboarding” created.').waitFor();
    await shot('add-ons');
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'cust_browser' }).waitFor();
    await shot('customers');

    await page.getByRole('link', { name: 'Invoices' }).click();
    await page.getByRole('link', { name: 'New one-off invoice' }).click();
    await page.getByLabel('Customer').selectOption('cust_browser');
    await page.getByLabel('Add-on').selectOption('onboarding');
    await shot('invoice-new');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.locator('#payment-status').waitFor();
    await reloadUntil(
      page,
      async () => ((await page.locator('#payment-status').textContent()) ?? '').includes('succeeded'),
      'the invoice to be paid',
    );
    expect(await page.locator('#void').isDisabled()).toBe(true);
    expect(await page.locator('#void-reason').textContent()).toContain('paid invoice cannot be voided');
    await shot('invoice-paid');

    // A lost dispute: marked on the invoice and in the list; refunds are no longer offered.
    const invoicePage = page.url();
    await page.getByRole('button', { name: 'Mark dispute lost' }).click();
    await page.getByText('Invoice marked as a lost dispute.').waitFor();
    expect(await page.locator('#payment-status').textContent()).toContain('Dispute lost');
    expect(await page.locator('input[name="kind"][value="refund"]').isDisabled()).toBe(true);
    expect(await page.locator('#refund-reason').textContent()).toContain('dispute was lost');
    expect(await page.locator('#lose-dispute').isDisabled()).toBe(true);
    await shot('invoice-dispute-lost');
    expect(page.url()).toBe(invoicePage);

    await page.getByRole('link', { name: 'Invoices' }).click();
    const listed = await page.locator('td.payment-status').first().textContent();
    expect(listed).toContain('succeeded');
    expect(listed).toContain('Dispute lost');
    await shot('invoice-list');
  });

  it('keeps only a session token in the browser, and signing out ends it for a copied cookie too', async () => {
    const context = page.context();
    const before = await context.cookies(`${system.apiUrl}/ui/`);
    const session = before.find((c) => c.name === 'payrail_ui_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(session?.path).toBe('/ui');
    // Plain http in this test, so the configuration (an http public URL) says not Secure.
    expect(session?.secure).toBe(false);
    for (const cookie of before) expect(decodeURIComponent(cookie.value)).not.toContain(system.apiKey);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect((await context.cookies(`${system.apiUrl}/ui/`)).some((c) => c.name === 'payrail_ui_session')).toBe(
      false,
    );

    // Put the cookie from before sign-out back, as someone who had copied it would.
    if (session) await context.addCookies([session]);
    await page.goto(`${system.apiUrl}/ui/customers`);
    await expect.poll(() => page.url()).toContain('/ui/sign-in');
    await shot('signed-out-cookie-refused');
  });
});
