import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectStripe, customerWithCard, type Harness, startHarness } from './harness.js';

interface WireInvoice {
  lago_id: string;
  status: string;
  payment_status: string;
  total_amount_cents: number;
  fees: { lago_id: string }[];
  voided_at: string | null;
  payment_dispute_lost_at: string | null;
}

describe('invoices, payments and credit notes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
    await h.call('POST', '/api/v1/add_ons', {
      body: { add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' } },
    });
    await h.call('POST', '/api/v1/customers', {
      body: { customer: { external_id: 'cust_plain', currency: 'USD' } },
    });
  });
  afterAll(() => h.close());

  const createInvoice = async (externalCustomerId: string, extra: Record<string, unknown> = {}) => {
    const res = await h.call('POST', '/api/v1/invoices', {
      body: {
        invoice: {
          external_customer_id: externalCustomerId,
          currency: 'USD',
          fees: [{ add_on_code: 'setup_fee', units: 2, unit_amount_cents: 12000 }],
          ...extra,
        },
      },
    });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    return (res.body as { invoice: WireInvoice }).invoice;
  };

  describe('happy', () => {
    it('creates a finalized one-off invoice with its fees, then gets and lists it', async () => {
      const invoice = await createInvoice('cust_plain');
      expect(invoice).toMatchObject({
        status: 'finalized',
        invoice_type: 'one_off',
        payment_status: 'pending',
        total_amount_cents: 24000,
        voided_at: null,
      });
      expect(invoice.fees).toHaveLength(1);
      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(got.body).toMatchObject({
        invoice: { lago_id: invoice.lago_id, customer: { external_id: 'cust_plain' } },
      });
      const list = await h.call(
        'GET',
        '/api/v1/invoices?external_customer_id=cust_plain&payment_statuses%5B%5D=pending&payment_statuses%5B%5D=failed&statuses%5B%5D=finalized&payment_overdue=false&page=1&per_page=20',
      );
      expect(list.body).toMatchObject({ invoices: [{ lago_id: invoice.lago_id }], meta: { total_count: 1 } });
      expect((list.body as { invoices: object[] }).invoices[0]).not.toHaveProperty('fees');
      const none = await h.call(
        'GET',
        '/api/v1/invoices?payment_status=succeeded&external_customer_id=cust_plain',
      );
      expect(none.body).toMatchObject({ invoices: [], meta: { total_count: 0, current_page: 0 } });
    });

    it('retries payment with an empty JSON body and an empty 200', async () => {
      const invoice = await createInvoice('cust_plain');
      const res = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/retry_payment`, { raw: '' });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    });

    it('voids with an empty JSON body; a second void and a retry are refused with 405', async () => {
      const invoice = await createInvoice('cust_plain');
      const voided = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/void`, { raw: '' });
      expect(voided.status).toBe(200);
      const body = (voided.body as { invoice: WireInvoice }).invoice;
      expect(body.status).toBe('voided');
      expect(body.voided_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const again = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/void`, { raw: '' });
      expect(again.body).toEqual({ status: 405, error: 'Method Not Allowed', code: 'not_voidable' });
      const retry = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/retry_payment`, { raw: '' });
      expect(retry.body).toEqual({ status: 405, error: 'Method Not Allowed', code: 'invalid_status' });
      const update = await h.call('PUT', `/api/v1/invoices/${invoice.lago_id}`, {
        body: { invoice: { payment_status: 'succeeded' } },
      });
      expect(update.body).toMatchObject({ status: 405, code: 'update_on_voided_invoice' });
    });

    it('charges through Stripe, lists and gets the payment, refunds with a credit note', async () => {
      await customerWithCard(h, 'cust_card');
      const invoice = await createInvoice('cust_card');
      await collect(h, invoice.lago_id);
      const paid = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(paid.body).toMatchObject({
        invoice: { payment_status: 'succeeded', total_paid_amount_cents: 24000 },
      });

      const payments = await h.call('GET', '/api/v1/payments?external_customer_id=cust_card');
      const list = payments.body as { payments: { lago_id: string; invoice_ids: string[] }[]; meta: object };
      expect(list.payments).toHaveLength(1);
      expect(list.payments[0]).toMatchObject({
        invoice_ids: [invoice.lago_id],
        amount_cents: 24000,
        payment_status: 'succeeded',
        type: 'provider',
        payment_provider_code: 'stripe_test',
      });
      const id = list.payments[0]!.lago_id;
      expect((await h.call('GET', `/api/v1/payments/${id}`)).body).toMatchObject({
        payment: { lago_id: id },
      });
      const byInvoice = await h.call('GET', `/api/v1/payments?invoice_id=${invoice.lago_id}`);
      expect(byInvoice.body).toMatchObject({ meta: { total_count: 1 } });

      const note = await h.call('POST', '/api/v1/credit_notes', {
        body: {
          credit_note: {
            invoice_id: invoice.lago_id,
            reason: 'order_change',
            credit_amount_cents: 0,
            refund_amount_cents: 1000,
            items: [{ fee_id: invoice.fees[0]!.lago_id, amount_cents: 1000 }],
          },
        },
      });
      expect(note.status).toBe(200);
      expect(note.body).toMatchObject({
        credit_note: { refund_status: 'pending', refund_amount_cents: 1000, credit_status: 'available' },
      });
    });

    it('offsets an unpaid invoice with a credit note, gets and lists it', async () => {
      const invoice = await createInvoice('cust_plain');
      const note = await h.call('POST', '/api/v1/credit_notes', {
        body: {
          credit_note: {
            invoice_id: invoice.lago_id,
            reason: 'order_change',
            offset_amount_cents: 100,
            refund_amount_cents: 0,
            items: [{ fee_id: invoice.fees[0]!.lago_id, amount_cents: 100 }],
          },
        },
      });
      expect(note.status, note.text).toBe(200);
      const cn = (note.body as { credit_note: { lago_id: string; refund_status: null; items: object[] } })
        .credit_note;
      expect(cn).toMatchObject({ credit_status: 'available', refund_status: null, total_amount_cents: 100 });
      expect(cn.items[0]).toMatchObject({ amount_cents: 100, fee: { lago_id: invoice.fees[0]!.lago_id } });
      expect((await h.call('GET', `/api/v1/credit_notes/${cn.lago_id}`)).status).toBe(200);
      const list = await h.call('GET', '/api/v1/credit_notes?external_customer_id=cust_plain');
      expect(
        (list.body as { credit_notes: { lago_id: string }[] }).credit_notes.map((n) => n.lago_id),
      ).toContain(cn.lago_id);
    });

    it('renders a list item as the single read without the extended fields', async () => {
      await customerWithCard(h, 'cust_listed');
      const invoice = await createInvoice('cust_listed');
      const put = await h.call('PUT', `/api/v1/invoices/${invoice.lago_id}`, {
        body: { invoice: { metadata: [{ key: 'po', value: 'PO-7' }] } },
      });
      expect(put.status, put.text).toBe(200);
      const got = (await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`)).body as {
        invoice: Record<string, unknown>;
      };
      const {
        fees,
        credits,
        subscriptions,
        billing_periods,
        applied_usage_thresholds,
        error_details,
        ...summary
      } = got.invoice;
      expect(fees).toHaveLength(1);
      // The customer is in Stripe: the embedded customer names its connection.
      expect(summary).toMatchObject({
        customer: { billing_configuration: { payment_provider_code: expect.any(String) } },
        metadata: [{ key: 'po', value: 'PO-7' }],
      });
      for (const path of ['/api/v1/invoices', '/api/v1/customers/cust_listed/invoices']) {
        const list = (await h.call('GET', `${path}?per_page=100`)).body as {
          invoices: Record<string, unknown>[];
        };
        expect(list.invoices.find((i) => i.lago_id === invoice.lago_id)).toEqual(summary);
      }
    });

    it('lists a customer’s invoices, payments and credit notes', async () => {
      const invoices = await h.call('GET', '/api/v1/customers/cust_card/invoices?status=finalized');
      expect(invoices.body).toMatchObject({
        invoices: [{ customer: { external_id: 'cust_card' } }],
        meta: { total_count: 1 },
      });
      const payments = await h.call('GET', '/api/v1/customers/cust_card/payments');
      expect(payments.body).toMatchObject({
        payments: [{ external_customer_id: 'cust_card' }],
        meta: { total_count: 1 },
      });
      const notes = await h.call('GET', '/api/v1/customers/cust_card/credit_notes');
      expect(notes.body).toMatchObject({ meta: { total_count: 1 } });
      const none = await h.call('GET', '/api/v1/customers/cust_plain/payments');
      expect(none.body).toMatchObject({ payments: [], meta: { total_count: 0 } });
      for (const sub of ['invoices', 'payments', 'credit_notes']) {
        const res = await h.call('GET', `/api/v1/customers/cust_card/${sub}`, { key: h.globex.apiKey });
        expect(res.body, sub).toEqual({ status: 404, error: 'Not Found', code: 'customer_not_found' });
      }
    });

    it('loses a dispute', async () => {
      await customerWithCard(h, 'cust_dispute');
      const invoice = await createInvoice('cust_dispute');
      await collect(h, invoice.lago_id);
      const res = await h.call('POST', `/api/v1/invoices/${invoice.lago_id}/lose_dispute`);
      expect(res.status).toBe(200);
      expect((res.body as { invoice: WireInvoice }).invoice.payment_dispute_lost_at).toMatch(/Z$/);
    });
  });

  describe('errors', () => {
    it.each([
      [{ external_customer_id: 'nobody', fees: [{ add_on_code: 'setup_fee' }] }, 'customer_not_found'],
      [{ external_customer_id: 'cust_plain', fees: [] }, 'fees_not_found'],
      [{ external_customer_id: 'cust_plain', fees: [{ add_on_code: 'unknown' }] }, 'add_on_not_found'],
    ])('answers 404 for %o', async (invoice, code) => {
      const res = await h.call('POST', '/api/v1/invoices', { body: { invoice } });
      expect(res.body).toEqual({ status: 404, error: 'Not Found', code });
    });

    it.each([
      [{ units: 1e15, unit_amount_cents: 1e15 }],
      [{ units: '99999999999999999999', unit_amount_cents: 100 }],
      [{ units: -1 }],
      [{ units: 'abc' }],
      [{ unit_amount_cents: -5 }],
      [{ unit_amount_cents: 1.5 }],
      [{ unit_amount_cents: 2 ** 53 }],
    ])('refuses the fee %o with 422 and creates nothing', async (fee) => {
      const before = await h.call('GET', '/api/v1/invoices?external_customer_id=cust_plain');
      const res = await h.call('POST', '/api/v1/invoices', {
        body: {
          invoice: { external_customer_id: 'cust_plain', fees: [{ add_on_code: 'setup_fee', ...fee }] },
        },
      });
      expect(res).toMatchObject({ status: 422, body: { code: 'validation_errors' } });
      if ('units' in fee && fee.units === 1e15) {
        expect(res.body).toMatchObject({ error_details: { units: ['value_is_out_of_range'] } });
      }
      const after = await h.call('GET', '/api/v1/invoices?external_customer_id=cust_plain');
      expect((after.body as { meta: object }).meta).toEqual((before.body as { meta: object }).meta);
    });

    it('refuses a refund on an unpaid invoice', async () => {
      const invoice = await createInvoice('cust_plain');
      const res = await h.call('POST', '/api/v1/credit_notes', {
        body: {
          credit_note: {
            invoice_id: invoice.lago_id,
            refund_amount_cents: 100,
            items: [{ fee_id: invoice.fees[0]!.lago_id, amount_cents: 100 }],
          },
        },
      });
      expect(res.body).toEqual({
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        error_details: { refund_amount_cents: ['cannot_refund_unpaid_invoice'] },
      });
    });

    it('answers invoice_not_found for unknown and malformed ids, and 422 for a bad filter', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        const res = await h.call('GET', `/api/v1/invoices/${id}`);
        expect(res.body).toEqual({ status: 404, error: 'Not Found', code: 'invoice_not_found' });
      }
      expect((await h.call('GET', '/api/v1/payments/nope')).body).toMatchObject({
        code: 'payment_not_found',
      });
      expect((await h.call('GET', '/api/v1/credit_notes/nope')).body).toMatchObject({
        code: 'credit_note_not_found',
      });
      for (const day of ['2026-13-45', '2026-02-30', '0000-00-00']) {
        const res = await h.call('GET', `/api/v1/invoices?issuing_date_from=${day}`);
        expect(res.body, day).toMatchObject({
          status: 422,
          error_details: { issuing_date_from: ['invalid_date'] },
        });
      }
      const bad = await h.call('GET', '/api/v1/invoices?payment_status=paid');
      expect(bad).toMatchObject({
        status: 422,
        body: { code: 'validation_errors', error_details: { payment_status: ['value_is_invalid'] } },
      });
    });
  });

  describe('security', () => {
    it('another organization cannot read or act on invoices, payments or credit notes', async () => {
      const invoice = await createInvoice('cust_plain');
      const other = h.globex.apiKey;
      for (const [method, path] of [
        ['GET', `/api/v1/invoices/${invoice.lago_id}`],
        ['POST', `/api/v1/invoices/${invoice.lago_id}/void`],
        ['POST', `/api/v1/invoices/${invoice.lago_id}/retry_payment`],
        ['POST', `/api/v1/invoices/${invoice.lago_id}/lose_dispute`],
        ['PUT', `/api/v1/invoices/${invoice.lago_id}`],
      ] as const) {
        const res = await h.call(method, path, {
          key: other,
          ...(method === 'PUT' ? { body: { invoice: {} } } : {}),
        });
        expect(res.status, `${method} ${path}`).toBe(method === 'PUT' ? 400 : 404);
      }
      const note = await h.call('POST', '/api/v1/credit_notes', {
        key: other,
        body: {
          credit_note: {
            invoice_id: invoice.lago_id,
            items: [{ fee_id: invoice.fees[0]!.lago_id, amount_cents: 1 }],
            credit_amount_cents: 1,
          },
        },
      });
      expect(note).toMatchObject({ status: 404, body: { code: 'invoice_not_found' } });
      const lists = await Promise.all(
        ['/api/v1/invoices', '/api/v1/payments', '/api/v1/credit_notes'].map((p) =>
          h.call('GET', p, { key: other }),
        ),
      );
      for (const list of lists) expect(list.body).toMatchObject({ meta: { total_count: 0 } });
      const still = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect(still.body).toMatchObject({ invoice: { status: 'finalized' } });
    });
  });
});
