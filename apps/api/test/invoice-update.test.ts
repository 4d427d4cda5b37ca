import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  countStatusEvents,
  createSetupFeeInvoice,
  type Harness,
  leaveAttemptInFlight,
  seedSetupFeeCustomers,
  startHarness,
} from './harness.js';

interface WireInvoice {
  lago_id: string;
  payment_status: string;
  total_paid_amount_cents: number;
  metadata: { lago_id: string; key: string; value: string; created_at: string }[];
}

describe('PUT /invoices/{id}', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedSetupFeeCustomers(h);
  });
  afterAll(() => h.close());

  const createInvoice = (externalId?: string) => createSetupFeeInvoice<WireInvoice>(h, externalId);
  const put = (id: string, invoice: object, key?: string | null) =>
    h.call('PUT', `/api/v1/invoices/${id}`, { body: { invoice }, ...(key !== undefined ? { key } : {}) });
  const statusEvents = (invoiceId: string) => countStatusEvents(h, invoiceId);

  describe('happy', () => {
    it('sets payment_status manually; the event fires once per change; no money is recorded', async () => {
      const invoice = await createInvoice();
      const res = await put(invoice.lago_id, { payment_status: 'succeeded' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        invoice: { payment_status: 'succeeded', total_paid_amount_cents: 0 },
      });
      expect(await statusEvents(invoice.lago_id)).toBe(1);
      await put(invoice.lago_id, { payment_status: 'succeeded' });
      expect(await statusEvents(invoice.lago_id)).toBe(1);
      const failed = await put(invoice.lago_id, { payment_status: 'failed' });
      expect(failed.body).toMatchObject({ invoice: { payment_status: 'failed' } });
      expect(await statusEvents(invoice.lago_id)).toBe(2);
      // A manual success closes the invoice to Stripe: a retry is refused, nothing is charged.
      await put(invoice.lago_id, { payment_status: 'succeeded' });
      const retry = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/retry_payment`, { raw: '' });
      expect(retry.body).toMatchObject({ status: 405, code: 'invalid_status' });
    });

    it('stores metadata and returns it on the invoice, in the list too', async () => {
      const invoice = await createInvoice();
      const first = await put(invoice.lago_id, {
        metadata: [
          { key: 'po', value: 'PO-1' },
          { key: 'team', value: 'ops' },
        ],
      });
      expect(first.status, first.text).toBe(200);
      const meta = (first.body as { invoice: WireInvoice }).invoice.metadata;
      expect(meta).toEqual([
        { lago_id: expect.any(String), key: 'po', value: 'PO-1', created_at: expect.stringMatching(/Z$/) },
        { lago_id: expect.any(String), key: 'team', value: 'ops', created_at: expect.stringMatching(/Z$/) },
      ]);
      const second = await put(invoice.lago_id, {
        metadata: [{ id: meta[0]!.lago_id, key: 'po', value: 'PO-2' }],
      });
      expect((second.body as { invoice: WireInvoice }).invoice.metadata).toEqual([
        { ...meta[0], value: 'PO-2' },
      ]);
      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect((got.body as { invoice: WireInvoice }).invoice.metadata).toEqual([
        { ...meta[0], value: 'PO-2' },
      ]);
      const list = await h.call('GET', '/api/v1/invoices?external_customer_id=cust_plain');
      const listed = (list.body as { invoices: WireInvoice[] }).invoices.find(
        (i) => i.lago_id === invoice.lago_id,
      );
      expect(listed?.metadata).toEqual([{ ...meta[0], value: 'PO-2' }]);
      expect(await statusEvents(invoice.lago_id)).toBe(0);
    });
  });

  describe('errors', () => {
    it('refuses while a Stripe attempt is in flight, and after a Stripe success', async () => {
      const inFlight = await createInvoice('cust_card');
      await leaveAttemptInFlight(h, inFlight.lago_id);
      expect(await put(inFlight.lago_id, { payment_status: 'succeeded' })).toMatchObject({
        status: 405,
        body: {
          status: 405,
          error: 'Method Not Allowed',
          code: 'payment_processor_is_currently_handling_payment',
        },
      });

      const paid = await createInvoice('cust_card');
      await collect(h, paid.lago_id);
      const res = await put(paid.lago_id, { payment_status: 'pending' });
      expect(res).toMatchObject({ status: 405, body: { code: 'invalid_status' } });
      const got = await h.call('GET', `/api/v1/invoices/${paid.lago_id}`);
      expect(got.body).toMatchObject({
        invoice: { payment_status: 'succeeded', total_paid_amount_cents: 50000 },
      });
    });

    it('422 for a bad status or metadata, 404 for unknown ids, 400 without the root key', async () => {
      const invoice = await createInvoice();
      expect(await put(invoice.lago_id, { payment_status: 'paid' })).toMatchObject({ status: 422 });
      expect(await put(invoice.lago_id, { metadata: [{ key: '', value: 'x' }] })).toMatchObject({
        status: 422,
        body: { code: 'validation_errors', error_details: { key: ['value_is_mandatory'] } },
      });
      expect(await put(invoice.lago_id, { metadata: [{ key: 'k', value: 5 }] })).toMatchObject({
        status: 422,
      });
      for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
        expect(await put(id, { payment_status: 'failed' })).toMatchObject({
          status: 404,
          body: { code: 'invoice_not_found' },
        });
      }
      const bare = await h.call('PUT', `/api/v1/invoices/${invoice.lago_id}`, {
        body: { payment_status: 'failed' },
      });
      expect(bare.status).toBe(400);
      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(got.body).toMatchObject({ invoice: { payment_status: 'pending', metadata: [] } });
    });
  });

  describe('security', () => {
    it('needs a key; another organization gets 404 and changes nothing', async () => {
      const invoice = await createInvoice();
      expect((await put(invoice.lago_id, { payment_status: 'succeeded' }, null)).status).toBe(401);
      expect(await put(invoice.lago_id, { payment_status: 'succeeded' }, h.globex.apiKey)).toMatchObject({
        status: 404,
        body: { code: 'invoice_not_found' },
      });
      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(got.body).toMatchObject({ invoice: { payment_status: 'pending' } });
      expect(await statusEvents(invoice.lago_id)).toBe(0);
    });
  });
});
