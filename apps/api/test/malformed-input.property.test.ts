import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiDeps, apiRoutes } from '../src/index.js';
import { connectStripe, type Harness, startHarness } from './harness.js';

const ROOTS = [
  'customer',
  'add_on',
  'invoice',
  'credit_note',
  'payment',
  'webhook_endpoint',
  'organization',
  'stripe_connection',
];
const FIELDS = [
  'external_id',
  'external_customer_id',
  'name',
  'code',
  'email',
  'currency',
  'amount_cents',
  'amount_currency',
  'units',
  'unit_amount_cents',
  'fees',
  'items',
  'fee_id',
  'invoice_id',
  'reason',
  'credit_amount_cents',
  'refund_amount_cents',
  'offset_amount_cents',
  'billing_configuration',
  'payment_provider',
  'payment_provider_code',
  'provider_payment_methods',
  'sync',
  'sync_with_provider',
  'webhook_url',
  'signature_algo',
  'event_types',
  'secret_key',
  'success_redirect_url',
  'skip_psp',
  'payment_status',
  'generate_credit_note',
  'payment_method',
];
const QUERY_KEYS = [
  'page',
  'per_page',
  'status',
  'statuses[]',
  'payment_status',
  'payment_statuses[]',
  'external_customer_id',
  'external_id',
  'currency',
  'currencies[]',
  'amount_from',
  'amount_to',
  'issuing_date_from',
  'issuing_date_to',
  'invoice_id',
  'payment_overdue',
  'search_term',
  'metadata[key]',
  'reason',
  'credit_status',
];
const NASTY = [
  '',
  ' ',
  '%',
  '%zz',
  '..',
  'null',
  '0',
  '-1',
  '1e309',
  "'; drop table customers; --",
  '\u0000',
  '\uFFFF',
  'é',
];

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const fieldValue = fc.oneof(
  jsonValue,
  fc.constantFrom(...NASTY),
  fc.integer(),
  fc.double(),
  fc.array(fc.dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 4 }), { maxLength: 3 }),
);
const envelope = fc
  .tuple(fc.constantFrom(...ROOTS), fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 8 }))
  .map(([root, inner]) => JSON.stringify({ [root]: inner }));
const body = fc.oneof(
  fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":', '1', 'true', '{"customer":null}', '{"invoice":[]}'),
  fc.json({ maxDepth: 3 }),
  envelope,
  fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
);
const pathValue = fc.oneof(
  fc.uuid().map(String),
  fc.constantFrom(...NASTY.filter((s) => s !== '')),
  fc.string({ minLength: 1, maxLength: 40 }),
);
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom(...QUERY_KEYS),
      fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...NASTY)),
    ),
    {
      maxLength: 5,
    },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

function isLagoError(status: number, parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const b = parsed as Record<string, unknown>;
  if (b.status !== status || typeof b.error !== 'string') return false;
  if ([403, 404, 405, 409, 422, 429].includes(status) && typeof b.code !== 'string') return false;
  if (status === 422 && (typeof b.error_details !== 'object' || b.error_details === null)) return false;
  return true;
}

describe('malformed bodies and parameters on every route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
  });
  afterAll(() => h.close());

  // Only the routes' methods and paths are read here: their handlers are never called.
  const operations = apiRoutes({} as ApiDeps).map(
    (r) => [r.config.method.toUpperCase(), r.config.path] as const,
  );
  it.each(operations)('%s %s: no 500, every refusal in Lago shape', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(pathValue, query, body, fc.boolean(), async (param, qs, raw, encode) => {
        const value = encode ? encodeURIComponent(param) : param.replace(/[/?#]/g, '_');
        const url = `/api/v1${path.replace(/\{[^}]+\}/g, value)}${qs ? `?${qs}` : ''}`;
        const res = await h.call(method, url, method === 'GET' ? {} : { raw });
        expect(res.status, `${method} ${url} ${raw}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(isLagoError(res.status, res.body), `${method} ${url} ${raw} -> ${res.text}`).toBe(true);
        } else if (res.text !== '') {
          expect(typeof res.body, `${method} ${url}`).toBe(
            path === '/webhooks/public_key' ? 'string' : 'object',
          );
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a malformed key never reaches a route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (token) => {
        const headers = { authorization: `Bearer ${token.replace(/[\r\n]/g, '')}` };
        const res = await h.call('GET', '/api/v1/customers', { key: null, headers });
        expect(res.body).toEqual({ status: 401, error: 'Unauthorized' });
      }),
      { numRuns: 50 },
    );
  });
});
