import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connectStripe,
  createSetupFeeInvoice,
  customerWithCard,
  type Harness,
  seedSetupFeeCustomers,
  startHarness,
} from './harness.js';

/** Stripe knows only the keys it issued: a well-formed key it never issued is just as refused. */
const UNKNOWN_KEY = 'sk_test_51QxUnissuedAbCdEfGh2468';

interface Connection {
  lago_id: string;
  name: string;
  code: string;
  secret_key: string;
  success_redirect_url: string | null;
}

describe('stripe connections', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ stripeKeys: 'registered' });
    for (const key of ['sk_test_happy_path_9876', 'sk_test_other_1111'])
      await h.emulator.controls.registerKey(key);
  });
  afterAll(() => h.close());

  describe('happy', () => {
    it('connects, masks the key, lists, gets, updates and deletes', async () => {
      const created = await h.call('POST', '/api/v1/stripe_connections', {
        body: {
          stripe_connection: {
            name: 'Main',
            code: 'main',
            secret_key: 'sk_test_happy_path_9876',
            success_redirect_url: 'https://acme.test/done',
          },
        },
      });
      expect(created.status).toBe(200);
      const connection = (created.body as { stripe_connection: Connection }).stripe_connection;
      expect(connection).toMatchObject({
        name: 'Main',
        code: 'main',
        success_redirect_url: 'https://acme.test/done',
      });
      expect(connection.secret_key).toMatch(/9876$/);
      expect(created.text).not.toContain('sk_test_happy_path_9876');
      expect(h.logs.join('\n')).not.toContain('sk_test_happy_path_9876');

      const list = await h.call('GET', '/api/v1/stripe_connections');
      expect(list.body).toMatchObject({
        stripe_connections: [{ lago_id: connection.lago_id }],
        meta: { total_count: 1 },
      });

      const got = await h.call('GET', `/api/v1/stripe_connections/${connection.lago_id}`);
      expect(got.body).toMatchObject({ stripe_connection: { code: 'main' } });

      const updated = await h.call('PUT', `/api/v1/stripe_connections/${connection.lago_id}`, {
        body: { stripe_connection: { name: 'Renamed', success_redirect_url: null } },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        stripe_connection: { name: 'Renamed', success_redirect_url: null },
      });

      const deleted = await h.call('DELETE', `/api/v1/stripe_connections/${connection.lago_id}`);
      expect(deleted.status).toBe(200);
      expect((await h.call('GET', `/api/v1/stripe_connections/${connection.lago_id}`)).status).toBe(404);
    });
  });

  describe('errors', () => {
    it('refuses a key Stripe does not know with 422 and Stripe’s message, storing nothing', async () => {
      const res = await h.call('POST', '/api/v1/stripe_connections', {
        key: h.globex.apiKey,
        body: { stripe_connection: { name: 'Bad', code: 'bad', secret_key: UNKNOWN_KEY } },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        error_details: { secret_key: ['invalid_credentials'] },
      });
      expect((res.body as { message: string }).message).toContain(
        'Invalid API Key provided: sk_test_****2468',
      );
      expect(res.text).not.toContain(UNKNOWN_KEY);
      const list = await h.call('GET', '/api/v1/stripe_connections', { key: h.globex.apiKey });
      expect(list.body).toMatchObject({ stripe_connections: [], meta: { total_count: 0, current_page: 0 } });

      // The same key, once the account has issued it, connects: the refusal was Stripe's answer.
      await h.emulator.controls.registerKey(UNKNOWN_KEY);
      const again = await h.call('POST', '/api/v1/stripe_connections', {
        key: h.globex.apiKey,
        body: { stripe_connection: { name: 'Now known', code: 'bad', secret_key: UNKNOWN_KEY } },
      });
      expect(again.status).toBe(200);
    });

    it('refuses a key that was revoked, storing nothing', async () => {
      const key = 'sk_test_51QxRolledLaterZz1357';
      await h.emulator.controls.registerKey(key);
      await h.emulator.controls.revokeKey(key);
      const res = await h.call('POST', '/api/v1/stripe_connections', {
        body: { stripe_connection: { name: 'Rolled', code: 'rolled', secret_key: key } },
      });
      expect(res).toMatchObject({
        status: 422,
        body: { error_details: { secret_key: ['invalid_credentials'] } },
      });
      expect((res.body as { message: string }).message).toContain('sk_test_****1357');
      const list = await h.call('GET', '/api/v1/stripe_connections');
      expect(list.text).not.toContain('"rolled"');
    });

    it('refuses a duplicate code and missing fields', async () => {
      await connectStripe(h, h.acme.apiKey, 'dup');
      const dup = await h.call('POST', '/api/v1/stripe_connections', {
        body: { stripe_connection: { name: 'Again', code: 'dup', secret_key: 'sk_test_other_1111' } },
      });
      expect(dup).toMatchObject({ status: 422, body: { error_details: { code: ['value_already_exist'] } } });
      const missing = await h.call('POST', '/api/v1/stripe_connections', {
        body: { stripe_connection: { name: 'No key' } },
      });
      expect(missing).toMatchObject({
        status: 422,
        body: {
          code: 'validation_errors',
          error_details: { code: ['value_is_mandatory'], secret_key: ['value_is_mandatory'] },
        },
      });
    });

    it('answers 400 without the root key and 404 for a malformed id', async () => {
      const res = await h.call('POST', '/api/v1/stripe_connections', { body: { name: 'x' } });
      expect(res.body).toEqual({
        status: 400,
        error: 'BadRequest: param is missing or the value is empty or invalid: stripe_connection',
      });
      const bad = await h.call('GET', '/api/v1/stripe_connections/not-a-uuid');
      expect(bad.body).toEqual({ status: 404, error: 'Not Found', code: 'stripe_connection_not_found' });
    });
  });

  describe('security', () => {
    it('never shows one organization’s connection to another', async () => {
      const mine = await connectStripe(h, h.acme.apiKey, 'private');
      const res = await h.call('GET', `/api/v1/stripe_connections/${mine.lago_id}`, { key: h.globex.apiKey });
      expect(res).toMatchObject({ status: 404, body: { code: 'stripe_connection_not_found' } });
      const put = await h.call('PUT', `/api/v1/stripe_connections/${mine.lago_id}`, {
        key: h.globex.apiKey,
        body: { stripe_connection: { name: 'stolen' } },
      });
      expect(put.status).toBe(404);
      const del = await h.call('DELETE', `/api/v1/stripe_connections/${mine.lago_id}`, {
        key: h.globex.apiKey,
      });
      expect(del.status).toBe(404);
      const list = await h.call('GET', '/api/v1/stripe_connections', { key: h.globex.apiKey });
      expect(list.text).not.toContain(mine.lago_id);
    });
  });
});

describe('stripe connection input limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('leaves the success URL rule to the domain and refuses over-long names as too long', async () => {
    const longUrl = await h.call('POST', '/api/v1/stripe_connections', {
      body: {
        stripe_connection: {
          name: 'n',
          code: 'c',
          secret_key: 'sk_test_x_1234',
          success_redirect_url: `https://merchant.test/${'a'.repeat(1024)}`,
        },
      },
    });
    expect(longUrl.status).toBe(422);
    expect(longUrl.body).toMatchObject({ error_details: { success_redirect_url: [expect.any(String)] } });
    const longName = await h.call('POST', '/api/v1/stripe_connections', {
      body: { stripe_connection: { name: 'n'.repeat(256), code: 'c', secret_key: 'sk_test_x_1234' } },
    });
    expect(longName.body).toMatchObject({ status: 422, error_details: { name: ['value_is_too_long'] } });
  });
});

describe('deleting a stripe connection that was used', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedSetupFeeCustomers(h);
  });
  afterAll(() => h.close());

  const onlyConnection = async (key: string) => {
    const list = await h.call('GET', '/api/v1/stripe_connections', { key });
    const [connection] = (list.body as { stripe_connections: Connection[] }).stripe_connections;
    if (!connection) throw new Error('no connection');
    return connection;
  };

  it('refuses with 405 stripe_connection_in_use once a payment went through it, changing nothing', async () => {
    const invoice = await createSetupFeeInvoice<{ lago_id: string }>(h, 'cust_card');
    await collect(h, invoice.lago_id);
    const connection = await onlyConnection(h.acme.apiKey);
    const before = await h.call('GET', '/api/v1/customers/cust_card');
    const methodsBefore = await h.call('GET', '/api/v1/customers/cust_card/payment_methods');

    const deleted = await h.call('DELETE', `/api/v1/stripe_connections/${connection.lago_id}`);
    expect(deleted.body).toEqual({
      status: 405,
      error: 'Method Not Allowed',
      code: 'stripe_connection_in_use',
    });
    expect((await h.call('GET', `/api/v1/stripe_connections/${connection.lago_id}`)).status).toBe(200);
    expect((await h.call('GET', '/api/v1/customers/cust_card')).body).toEqual(before.body);
    expect((await h.call('GET', '/api/v1/customers/cust_card/payment_methods')).body).toEqual(
      methodsBefore.body,
    );
    const paid = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
    expect(paid.body).toMatchObject({ invoice: { payment_status: 'succeeded' } });
  });

  it('deletes a connection whose customers saved methods but never paid, and the methods with it', async () => {
    const key = h.globex.apiKey;
    await connectStripe(h, key, 'globex_stripe');
    await customerWithCard(h, 'globex_card', key);
    const connection = await onlyConnection(key);

    const deleted = await h.call('DELETE', `/api/v1/stripe_connections/${connection.lago_id}`, { key });
    expect(deleted.status).toBe(200);
    expect((await h.call('GET', `/api/v1/stripe_connections/${connection.lago_id}`, { key })).status).toBe(
      404,
    );
    const customer = await h.call('GET', '/api/v1/customers/globex_card', { key });
    expect(customer.body).toMatchObject({ customer: { billing_configuration: { payment_provider: null } } });
    const methods = await h.call('GET', '/api/v1/customers/globex_card/payment_methods', { key });
    expect(methods.body).toMatchObject({ payment_methods: [] });
  });
});
