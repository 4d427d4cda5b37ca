import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connectStripe,
  customerWithCard,
  type Harness,
  leaveAttemptInFlight,
  startHarness,
} from './harness.js';

interface WireCustomer {
  lago_id: string;
  external_id: string;
  billing_configuration: { payment_provider: string | null; provider_customer_id: string | null };
}

describe('DELETE /customers/{external_id}', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
    await h.call('POST', '/api/v1/add_ons', {
      body: { add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' } },
    });
  });
  afterAll(() => h.close());

  const invoiceFor = async (externalId: string) => {
    const res = await h.call('POST', '/api/v1/invoices', {
      body: { invoice: { external_customer_id: externalId, fees: [{ add_on_code: 'setup_fee' }] } },
    });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    return (res.body as { invoice: { lago_id: string } }).invoice;
  };

  describe('happy', () => {
    it('returns the deleted customer, frees the external id and keeps invoices and payments readable', async () => {
      await customerWithCard(h, 'cust_gone');
      const before = (await h.call('GET', '/api/v1/customers/cust_gone')).body as { customer: WireCustomer };
      const stripeCustomer = before.customer.billing_configuration.provider_customer_id;
      const invoice = await invoiceFor('cust_gone');
      await collect(h, invoice.lago_id);

      const res = await h.call('DELETE', '/api/v1/customers/cust_gone');
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        customer: {
          lago_id: before.customer.lago_id,
          external_id: 'cust_gone',
          billing_configuration: { payment_provider: null },
        },
      });
      expect(await h.call('GET', '/api/v1/customers/cust_gone')).toMatchObject({
        status: 404,
        body: { code: 'customer_not_found' },
      });

      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(got.body).toMatchObject({
        invoice: { payment_status: 'succeeded', customer: { lago_id: before.customer.lago_id } },
      });
      const payments = await h.call('GET', `/api/v1/payments?invoice_id=${invoice.lago_id}`);
      expect(payments.body).toMatchObject({ meta: { total_count: 1 } });

      // The Stripe customer is unlinked, not deleted at Stripe.
      const stripe = new Stripe('sk_test_payrail_ok_1234', {
        host: '127.0.0.1',
        port: h.emulator.port,
        protocol: 'http',
        telemetry: false,
      });
      const atStripe = await stripe.customers.retrieve(stripeCustomer ?? '');
      expect(atStripe.deleted).toBeFalsy();

      const again = await h.call('POST', '/api/v1/customers', {
        body: { customer: { external_id: 'cust_gone', currency: 'USD' } },
      });
      expect(again.status).toBe(200);
      const fresh = (again.body as { customer: WireCustomer }).customer;
      expect(fresh.lago_id).not.toBe(before.customer.lago_id);
      expect(fresh.billing_configuration.payment_provider).toBeNull();
      const scoped = await h.call('GET', '/api/v1/invoices?external_customer_id=cust_gone');
      expect(scoped.body).toMatchObject({ meta: { total_count: 0 } });
      expect((await h.call('GET', '/api/v1/customers?external_id=cust_gone')).body).toMatchObject({
        customers: [{ lago_id: fresh.lago_id }],
      });
    });
  });

  describe('errors', () => {
    it('an unknown or already deleted customer is 404 customer_not_found', async () => {
      await h.call('POST', '/api/v1/customers', { body: { customer: { external_id: 'cust_twice' } } });
      expect((await h.call('DELETE', '/api/v1/customers/cust_twice')).status).toBe(200);
      for (const id of ['cust_twice', 'nobody']) {
        expect(await h.call('DELETE', `/api/v1/customers/${id}`)).toMatchObject({
          status: 404,
          body: { status: 404, error: 'Not Found', code: 'customer_not_found' },
        });
      }
    });

    it('refuses with 405 while a payment is in flight and keeps the customer', async () => {
      await customerWithCard(h, 'cust_3ds');
      const invoice = await invoiceFor('cust_3ds');
      await leaveAttemptInFlight(h, invoice.lago_id);
      const res = await h.call('DELETE', '/api/v1/customers/cust_3ds');
      expect(res).toMatchObject({
        status: 405,
        body: {
          status: 405,
          error: 'Method Not Allowed',
          code: 'payment_processor_is_currently_handling_payment',
        },
      });
      expect(await h.call('GET', '/api/v1/customers/cust_3ds')).toMatchObject({
        status: 200,
        body: { customer: { billing_configuration: { payment_provider: 'stripe' } } },
      });
    });
  });

  describe('security', () => {
    it('needs a key; another organization gets 404 and the customer stays', async () => {
      await h.call('POST', '/api/v1/customers', { body: { customer: { external_id: 'cust_kept' } } });
      expect((await h.call('DELETE', '/api/v1/customers/cust_kept', { key: null })).status).toBe(401);
      expect(await h.call('DELETE', '/api/v1/customers/cust_kept', { key: h.globex.apiKey })).toMatchObject({
        status: 404,
        body: { code: 'customer_not_found' },
      });
      expect((await h.call('GET', '/api/v1/customers/cust_kept')).status).toBe(200);
    });
  });
});
