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
  total_due_amount_cents: number;
}

describe('POST /payments (manual payment)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedSetupFeeCustomers(h);
  });
  afterAll(() => h.close());

  const createInvoice = (externalId?: string) => createSetupFeeInvoice<WireInvoice>(h, externalId);
  const pay = (payment: Record<string, unknown>, key?: string | null) =>
    h.call('POST', '/api/v1/payments', { body: { payment }, ...(key !== undefined ? { key } : {}) });
  const getInvoice = async (id: string) =>
    ((await h.call('GET', `/api/v1/invoices/${id}`)).body as { invoice: WireInvoice }).invoice;
  const statusEvents = (invoiceId: string) => countStatusEvents(h, invoiceId);

  describe('happy', () => {
    it('records partial then full payment; the invoice is paid once nothing is due', async () => {
      const invoice = await createInvoice();
      const first = await pay({
        invoice_id: invoice.lago_id,
        amount_cents: 20000,
        reference: 'wire-1',
        paid_at: '2026-11-20',
      });
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({
        payment: {
          type: 'manual',
          status: 'succeeded',
          payment_status: 'succeeded',
          amount_cents: 20000,
          amount_currency: 'USD',
          reference: 'wire-1',
          invoice_ids: [invoice.lago_id],
          external_customer_id: 'cust_plain',
        },
      });
      expect(await getInvoice(invoice.lago_id)).toMatchObject({
        payment_status: 'pending',
        total_paid_amount_cents: 20000,
        total_due_amount_cents: 30000,
      });
      expect(await statusEvents(invoice.lago_id)).toBe(0);

      const second = await pay({ invoice_id: invoice.lago_id, amount_cents: 30000, reference: 'wire-2' });
      expect(second.status, second.text).toBe(200);
      expect(await getInvoice(invoice.lago_id)).toMatchObject({
        payment_status: 'succeeded',
        total_paid_amount_cents: 50000,
        total_due_amount_cents: 0,
      });
      expect(await statusEvents(invoice.lago_id)).toBe(1);

      const id = (second.body as { payment: { lago_id: string } }).payment.lago_id;
      expect((await h.call('GET', `/api/v1/payments/${id}`)).body).toMatchObject({
        payment: { lago_id: id, type: 'manual', reference: 'wire-2' },
      });
      const listed = await h.call('GET', `/api/v1/payments?invoice_id=${invoice.lago_id}`);
      expect(listed.body).toMatchObject({
        payments: [
          { type: 'manual', reference: 'wire-2' },
          { type: 'manual', reference: 'wire-1' },
        ],
        meta: { total_count: 2 },
      });
      const scoped = await h.call('GET', '/api/v1/customers/cust_plain/payments');
      expect((scoped.body as { payments: { lago_id: string }[] }).payments.map((p) => p.lago_id)).toContain(
        id,
      );
    });
  });

  describe('errors', () => {
    it.each([
      [{ amount_cents: 0 }, { amount_cents: ['invalid_value'] }],
      [{ amount_cents: 1.5 }, { amount_cents: ['invalid_value'] }],
      [{ amount_cents: '100' }, { amount_cents: ['invalid_value'] }],
      [{ amount_cents: 50001 }, { amount_cents: ['higher_than_remaining_invoice_amount'] }],
      [{ paid_at: '2026-02-30' }, { paid_at: ['invalid_date'] }],
      [{ paid_at: 'yesterday' }, { paid_at: ['invalid_date'] }],
      [{ invoice_id: undefined }, { invoice_id: ['value_is_mandatory'] }],
      [{ reference: undefined }, { reference: ['value_is_mandatory'] }],
    ])('%o is 422 %o and changes nothing', async (change, details) => {
      const invoice = await createInvoice();
      const res = await pay({ invoice_id: invoice.lago_id, amount_cents: 100, reference: 'r', ...change });
      expect(res).toMatchObject({ status: 422, body: { code: 'validation_errors', error_details: details } });
      expect(await getInvoice(invoice.lago_id)).toMatchObject({ total_paid_amount_cents: 0 });
    });

    it('404 invoice_not_found for unknown or malformed ids; 400 without the root key', async () => {
      for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
        expect(await pay({ invoice_id: id, amount_cents: 1, reference: 'r' })).toMatchObject({
          status: 404,
          body: { status: 404, error: 'Not Found', code: 'invoice_not_found' },
        });
      }
      expect((await h.call('POST', '/api/v1/payments', { body: { amount_cents: 1 } })).status).toBe(400);
    });

    it('405 on a voided, paid, in-flight or disputed invoice', async () => {
      const voided = await createInvoice();
      await h.call('POST', `/api/v1/invoices/${voided.lago_id}/void`, { raw: '' });
      const paid = await createInvoice('cust_card');
      await collect(h, paid.lago_id);
      const inFlight = await createInvoice('cust_card');
      await leaveAttemptInFlight(h, inFlight.lago_id);
      const disputed = await createInvoice();
      await h.call('POST', `/api/v1/invoices/${disputed.lago_id}/lose_dispute`, { raw: '' });
      for (const [invoice, code] of [
        [voided, 'invalid_status'],
        [paid, 'invalid_status'],
        [inFlight, 'payment_processor_is_currently_handling_payment'],
        [disputed, 'invoice_dispute_lost'],
      ] as const) {
        const res = await pay({ invoice_id: invoice.lago_id, amount_cents: 1, reference: 'r' });
        expect(res, code).toMatchObject({
          status: 405,
          body: { status: 405, error: 'Method Not Allowed', code },
        });
      }
      expect(await getInvoice(paid.lago_id)).toMatchObject({ total_paid_amount_cents: 50000 });
    });
  });

  describe('security', () => {
    it('needs a key; another organization cannot pay or read the invoice or the payment', async () => {
      const invoice = await createInvoice();
      expect((await pay({ invoice_id: invoice.lago_id, amount_cents: 1, reference: 'r' }, null)).status).toBe(
        401,
      );
      expect(
        await pay({ invoice_id: invoice.lago_id, amount_cents: 1, reference: 'r' }, h.globex.apiKey),
      ).toMatchObject({
        status: 404,
        body: { code: 'invoice_not_found' },
      });
      const mine = await pay({ invoice_id: invoice.lago_id, amount_cents: 1, reference: 'r' });
      const id = (mine.body as { payment: { lago_id: string } }).payment.lago_id;
      expect((await h.call('GET', `/api/v1/payments/${id}`, { key: h.globex.apiKey })).status).toBe(404);
      expect(await getInvoice(invoice.lago_id)).toMatchObject({ total_paid_amount_cents: 1 });
    });
  });
});
