import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStripe, customerWithCard, type Harness, startHarness } from './harness.js';

interface WireCustomer {
  lago_id: string;
  external_id: string;
  name: string | null;
  email: string | null;
  billing_configuration: Record<string, unknown>;
}

describe('customers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
  });
  afterAll(() => h.close());

  const upsert = (customer: Record<string, unknown>, key?: string) =>
    h.call('POST', '/api/v1/customers', { body: { customer }, ...(key ? { key } : {}) });

  describe('happy', () => {
    it('creates a customer in Stripe inside the request with sync, and echoes the link', async () => {
      const res = await upsert({
        external_id: 'cust_sync',
        name: 'Acme',
        email: 'billing@acme.test',
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: 'stripe_test',
          sync_with_provider: true,
          sync: true,
          provider_payment_methods: ['card'],
        },
      });
      expect(res.status).toBe(200);
      const customer = (res.body as { customer: WireCustomer }).customer;
      expect(customer.billing_configuration).toMatchObject({
        payment_provider: 'stripe',
        payment_provider_code: 'stripe_test',
        sync_with_provider: true,
        provider_payment_methods: ['card'],
      });
      expect(customer.billing_configuration.provider_customer_id).toMatch(/^cus_/);
      expect(customer.billing_configuration).not.toHaveProperty('sync');
      expect(customer.email).toBe('billing@acme.test');
    });

    it('applies partial updates: only the keys sent change', async () => {
      await upsert({ external_id: 'cust_partial', name: 'Before', email: 'a@b.test' });
      const res = await upsert({ external_id: 'cust_partial', name: 'After' });
      expect(res.body).toMatchObject({ customer: { name: 'After', email: 'a@b.test' } });
      const got = await h.call('GET', '/api/v1/customers/cust_partial');
      expect(got.body).toMatchObject({ customer: { external_id: 'cust_partial', name: 'After' } });
    });

    it('lists with Lago meta and filters by external_id', async () => {
      const all = await h.call('GET', '/api/v1/customers?per_page=1&page=1');
      const body = all.body as { customers: WireCustomer[]; meta: Record<string, unknown> };
      expect(body.customers).toHaveLength(1);
      expect(body.meta).toMatchObject({ current_page: 1, next_page: 2, prev_page: null });
      const one = await h.call('GET', '/api/v1/customers?external_id=cust_partial');
      expect(one.body).toMatchObject({
        customers: [{ external_id: 'cust_partial' }],
        meta: { total_count: 1 },
      });
    });

    it('generates a checkout URL for a linked customer and lists (no) payment methods', async () => {
      const res = await h.call('POST', '/api/v1/customers/cust_sync/checkout_url');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        customer: {
          external_customer_id: 'cust_sync',
          payment_provider: 'stripe',
          payment_provider_code: 'stripe_test',
        },
      });
      expect((res.body as { customer: { checkout_url: string } }).customer.checkout_url).toMatch(
        /^https?:\/\//,
      );
      const methods = await h.call('GET', '/api/v1/customers/cust_sync/payment_methods');
      expect(methods.body).toMatchObject({ payment_methods: [], meta: { total_count: 0 } });
    });
  });

  describe('payment methods', () => {
    it('lists saved methods with the default flagged, and sets one as default', async () => {
      await customerWithCard(h, 'cust_pm');
      const list = await h.call('GET', '/api/v1/customers/cust_pm/payment_methods');
      const methods = (list.body as { payment_methods: { lago_id: string; is_default: boolean }[] })
        .payment_methods;
      expect(methods).toHaveLength(1);
      expect(methods[0]).toMatchObject({
        is_default: true,
        payment_provider_type: 'stripe',
        payment_provider_code: 'stripe_test',
      });
      const id = methods[0]!.lago_id;
      const set = await h.call('PUT', `/api/v1/customers/cust_pm/payment_methods/${id}/set_as_default`);
      expect(set).toMatchObject({ status: 200, body: { payment_method: { lago_id: id, is_default: true } } });
      const bad = await h.call('PUT', '/api/v1/customers/cust_pm/payment_methods/nope/set_as_default');
      expect(bad.body).toEqual({ status: 404, error: 'Not Found', code: 'payment_method_not_found' });
      const stranger = await h.call('PUT', `/api/v1/customers/cust_pm/payment_methods/${id}/set_as_default`, {
        key: h.globex.apiKey,
      });
      expect(stranger).toMatchObject({ status: 404, body: { code: 'customer_not_found' } });
      await upsert({ external_id: 'cust_pm', name: 'Globex cust_pm' }, h.globex.apiKey);
      const crossed = await h.call('PUT', `/api/v1/customers/cust_pm/payment_methods/${id}/set_as_default`, {
        key: h.globex.apiKey,
      });
      // Globex's own cust_pm has no Stripe link: refused before any method is looked at.
      expect(crossed.status).toBeGreaterThanOrEqual(400);
      expect(crossed.text).not.toContain(id);
    });
  });

  describe('errors', () => {
    it('answers customer_not_found', async () => {
      const res = await h.call('GET', '/api/v1/customers/does_not_exist');
      expect(res.body).toEqual({ status: 404, error: 'Not Found', code: 'customer_not_found' });
    });

    it('refuses a checkout URL without a linked provider', async () => {
      await upsert({ external_id: 'cust_plain' });
      const res = await h.call('POST', '/api/v1/customers/cust_plain/checkout_url');
      expect(res).toMatchObject({
        status: 422,
        body: { error_details: { base: ['no_linked_payment_provider'] } },
      });
    });

    it('refuses an unknown provider code and a bad currency with 422', async () => {
      const res = await upsert({
        external_id: 'cust_badcode',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: 'nope',
          sync_with_provider: true,
        },
      });
      expect(res).toMatchObject({
        status: 422,
        body: { error_details: { base: ['payment_provider_not_found'] } },
      });
      const currency = await upsert({ external_id: 'cust_badcur', currency: 'DOLLARS' });
      expect(currency).toMatchObject({
        status: 422,
        body: { error_details: { currency: ['value_is_invalid'] } },
      });
      expect((await h.call('GET', '/api/v1/customers/cust_badcode')).status).toBe(404);
    });

    it.each([
      ['name', 'n'.repeat(256)],
      ['address_line1', 'a'.repeat(256)],
      ['phone', '1'.repeat(256)],
      ['country', 'FRA'],
      ['external_id', 'x'.repeat(256)],
    ])('refuses a %s longer than its column with 422, never a 500', async (field, value) => {
      const res = await upsert({ external_id: 'cust_long', [field]: value });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'validation_errors',
        error_details: { [field]: [expect.any(String)] },
      });
    });

    it('answers 400 when the root key is missing and 422 when external_id is', async () => {
      expect((await h.call('POST', '/api/v1/customers', { body: { external_id: 'x' } })).status).toBe(400);
      const res = await upsert({ name: 'No id' });
      expect(res).toMatchObject({
        status: 422,
        body: { error_details: { external_id: ['value_is_mandatory'] } },
      });
    });
  });

  describe('security', () => {
    it('another organization sees 404 and an empty list, never the data', async () => {
      const other = h.globex.apiKey;
      expect((await h.call('GET', '/api/v1/customers/cust_sync', { key: other })).status).toBe(404);
      expect((await h.call('POST', '/api/v1/customers/cust_sync/checkout_url', { key: other })).status).toBe(
        404,
      );
      expect(
        (await h.call('GET', '/api/v1/customers/cust_sync/payment_methods', { key: other })).status,
      ).toBe(404);
      const mine = (await h.call('GET', '/api/v1/customers/cust_sync')).body as { customer: WireCustomer };
      const list = await h.call('GET', '/api/v1/customers', { key: other });
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(mine.customer.lago_id);
      expect(list.text).not.toContain('billing@acme.test');
    });

    it('the same external_id in another organization is a different customer', async () => {
      const res = await upsert({ external_id: 'cust_sync', name: 'Globex own' }, h.globex.apiKey);
      expect(res.status).toBe(200);
      const mine = await h.call('GET', '/api/v1/customers/cust_sync');
      expect(mine.body).toMatchObject({ customer: { name: 'Acme' } });
    });
  });
});
