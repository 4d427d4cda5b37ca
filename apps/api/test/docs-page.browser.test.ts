import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The reference page in a real browser: it loads the document and sends a request with the key. */
describe('docs page in chromium', () => {
  let h: Harness;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness();
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('lists every operation and answers "Send" with the API response', async () => {
    await h.call('POST', '/api/v1/add_ons', {
      body: { add_on: { name: 'Setup', code: 'setup_fee', amount_cents: 500, amount_currency: 'USD' } },
    });
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(base)) blocked.push(req.url());
    });
    await page.goto(`${base}/docs`);
    await page.getByText('List add-ons').waitFor();
    expect(await page.locator('details').count()).toBeGreaterThanOrEqual(30);
    await page.fill('#key', h.acme.apiKey);
    const op = page.locator('details', { hasText: 'List add-ons' });
    await op.locator('summary').click();
    await op.locator('button[data-send]').click();
    await op.locator('pre[data-out]', { hasText: '200' }).waitFor();
    expect(await op.locator('pre[data-out]').textContent()).toContain('"code": "setup_fee"');
    expect(blocked).toEqual([]);
  });
});
