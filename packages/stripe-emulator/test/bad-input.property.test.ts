import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useEmulator } from './harness.js';

const h = useEmulator();

const ROUTES = [
  ['POST', '/v1/customers'],
  ['POST', '/v1/payment_methods'],
  ['POST', '/v1/payment_intents'],
  ['POST', '/v1/setup_intents'],
  ['POST', '/v1/checkout/sessions'],
  ['POST', '/v1/refunds'],
  ['POST', '/v1/webhook_endpoints'],
  ['GET', '/v1/customers'],
  ['GET', '/v1/events'],
  ['GET', '/v1/payment_methods'],
] as const;

const NAMES = [
  'amount',
  'currency',
  'customer',
  'payment_method',
  'confirm',
  'off_session',
  'metadata',
  'email',
  'invoice_settings',
  'default_payment_method',
  'type',
  'card',
  'number',
  'exp_month',
  'sepa_debit',
  'iban',
  'mode',
  'allowed_payment_method_types',
  'expires_at',
  'success_url',
  'url',
  'enabled_events',
  'limit',
  'starting_after',
  'expand',
  'payment_intent',
  'charge',
  '0',
  '1',
  '',
  'x',
];
const VALUES = [
  '',
  '1',
  '-5',
  '1000',
  'usd',
  'eur',
  'true',
  'false',
  'pm_card_visa',
  'cus_x',
  'card',
  'setup',
  'https://a.example',
  '%',
  '%ZZ',
  '[',
  ']',
  '&',
  '=',
  '\u00e9',
  'x'.repeat(300),
  '99999999999999999999',
];

const key = fc
  .array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 })
  .map(([head, ...rest]) => `${head}${rest.map((r) => `[${r}]`).join('')}`);
const body = fc
  .array(fc.tuple(fc.oneof(key, fc.string({ maxLength: 8 })), fc.constantFrom(...VALUES)), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v]) => `${k.replace(/&/g, '%26')}=${v}`).join('&'));

describe('bad input', () => {
  it('never gets a 5xx on any route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async ([method, path], form) => {
        const url = method === 'GET' ? `${h.emu.url}${path}?${form}` : `${h.emu.url}${path}`;
        const res = await fetch(url, {
          method,
          headers: {
            authorization: 'Bearer sk_test_fuzz',
            'content-type': 'application/x-www-form-urlencoded',
          },
          ...(method === 'POST' ? { body: form } : {}),
        });
        const json = (await res.json()) as { error?: { type: string } };
        expect(res.status, `${method} ${path} ${form}`).toBeLessThan(500);
        if (res.status >= 400) expect(json.error?.type).toBeTruthy();
      }),
      { numRuns: 300 },
    );
  });
});
