import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectStripe, customerWithCard, type Harness, startHarness } from './harness.js';

interface WireNote {
  lago_id: string;
  credit_status: string;
  balance_amount_cents: number;
  credit_amount_cents: number;
}

describe('PUT /credit_notes/{id}/void', () => {
  let h: Harness;
  let paidInvoice: { lago_id: string; fees: { lago_id: string }[] };
  beforeAll(async () => {
    h = await startHarness();
    await connectStripe(h);
    await h.call('POST', '/api/v1/add_ons', {
      body: { add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' } },
    });
    await customerWithCard(h, 'cust_card');
    const res = await h.call('POST', '/api/v1/invoices', {
      body: { invoice: { external_customer_id: 'cust_card', fees: [{ add_on_code: 'setup_fee' }] } },
    });
    paidInvoice = (res.body as { invoice: typeof paidInvoice }).invoice;
    await collect(h, paidInvoice.lago_id);
  });
  afterAll(() => h.close());

  const createNote = async (amounts: Record<string, number>, invoice = paidInvoice) => {
    const total = Object.values(amounts).reduce((s, n) => s + n, 0);
    const res = await h.call('POST', '/api/v1/credit_notes', {
      body: {
        credit_note: {
          invoice_id: invoice.lago_id,
          items: [{ fee_id: invoice.fees[0]!.lago_id, amount_cents: total }],
          ...amounts,
        },
      },
    });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    return (res.body as { credit_note: WireNote }).credit_note;
  };

  describe('happy', () => {
    it('voids the remaining credit, with no body or an empty JSON body', async () => {
      for (const options of [{}, { raw: '' }]) {
        const note = await createNote({ credit_amount_cents: 700 });
        expect(note).toMatchObject({ credit_status: 'available', balance_amount_cents: 700 });
        const res = await h.call('PUT', `/api/v1/credit_notes/${note.lago_id}/void`, options);
        expect(res.status, res.text).toBe(200);
        expect(res.body).toMatchObject({
          credit_note: {
            lago_id: note.lago_id,
            credit_status: 'voided',
            balance_amount_cents: 0,
            credit_amount_cents: 700,
          },
        });
        const got = await h.call('GET', `/api/v1/credit_notes/${note.lago_id}`);
        expect(got.body).toMatchObject({ credit_note: { credit_status: 'voided', balance_amount_cents: 0 } });
      }
    });
  });

  describe('errors', () => {
    it('a second void is 405 no_voidable_amount', async () => {
      const note = await createNote({ credit_amount_cents: 100 });
      expect((await h.call('PUT', `/api/v1/credit_notes/${note.lago_id}/void`)).status).toBe(200);
      const again = await h.call('PUT', `/api/v1/credit_notes/${note.lago_id}/void`);
      expect(again).toMatchObject({
        status: 405,
        body: { status: 405, error: 'Method Not Allowed', code: 'no_voidable_amount' },
      });
    });

    it('a note with nothing left to void (refund only) is 405 and stays available', async () => {
      const note = await createNote({ refund_amount_cents: 100 });
      const res = await h.call('PUT', `/api/v1/credit_notes/${note.lago_id}/void`);
      expect(res).toMatchObject({ status: 405, body: { code: 'no_voidable_amount' } });
      const got = await h.call('GET', `/api/v1/credit_notes/${note.lago_id}`);
      expect(got.body).toMatchObject({ credit_note: { credit_status: 'available' } });
    });

    it.each(['not-a-uuid', '00000000-0000-4000-8000-000000000000'])('unknown id %s is 404', async (id) => {
      const res = await h.call('PUT', `/api/v1/credit_notes/${id}/void`);
      expect(res).toMatchObject({
        status: 404,
        body: { status: 404, error: 'Not Found', code: 'credit_note_not_found' },
      });
    });
  });

  describe('security', () => {
    it('needs an API key, and another organization sees a 404 and changes nothing', async () => {
      const note = await createNote({ credit_amount_cents: 50 });
      const anonymous = await h.call('PUT', `/api/v1/credit_notes/${note.lago_id}/void`, { key: null });
      expect(anonymous).toMatchObject({ status: 401, body: { status: 401, error: 'Unauthorized' } });
      const other = await h.call('PUT', `/api/v1/credit_notes/${note.lago_id}/void`, {
        key: h.globex.apiKey,
      });
      expect(other).toMatchObject({ status: 404, body: { code: 'credit_note_not_found' } });
      const got = await h.call('GET', `/api/v1/credit_notes/${note.lago_id}`);
      expect(got.body).toMatchObject({
        credit_note: { credit_status: 'available', balance_amount_cents: 50 },
      });
    });
  });
});
