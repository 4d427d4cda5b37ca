/**
 * `/payment_requests`: Lago's shapes (every answer checked against the OpenAPI document), the
 * Idempotency-Key replay, the other organization kept out, and the charge through the real
 * worker use case and emulator.
 */
import { collectPaymentRequest } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  createSetupFeeInvoice,
  type Harness,
  seedSetupFeeCustomers,
  startHarness,
} from './harness.js';

interface WireInvoice {
  lago_id: string;
  payment_status: string;
  total_amount_cents: number;
}
interface WireRequest {
  lago_id: string;
  email: string | null;
  amount_cents: number;
  amount_currency: string;
  payment_status: string;
  customer: { external_id: string };
  invoices: WireInvoice[];
}

describe('payment requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedSetupFeeCustomers(h);
  });
  afterAll(() => h.close());

  const ask = (payment_request: unknown, headers: Record<string, string> = {}, key?: string) =>
    h.call('POST', '/api/v1/payment_requests', {
      body: { payment_request },
      headers,
      ...(key ? { key } : {}),
    });

  it('answers the request in Lago’s shape, replays it under its Idempotency-Key, lists and finds it', async () => {
    const a = await createSetupFeeInvoice<WireInvoice>(h);
    const b = await createSetupFeeInvoice<WireInvoice>(h);
    const headers = { 'idempotency-key': 'dunning-1' };
    const body = { external_customer_id: 'cust_plain', lago_invoice_ids: [a.lago_id, b.lago_id] };
    const created = await ask(body, headers);
    expect(created.status).toBe(200);
    const request = (created.body as { payment_request: WireRequest }).payment_request;
    expect(request).toMatchObject({
      amount_cents: 100_000,
      amount_currency: 'USD',
      payment_status: 'pending',
      email: null,
      customer: { external_id: 'cust_plain' },
    });
    expect(request.invoices.map((i) => i.lago_id)).toEqual([a.lago_id, b.lago_id]);

    const replayed = await ask(body, headers);
    expect(replayed.status).toBe(200);
    expect((replayed.body as { payment_request: WireRequest }).payment_request.lago_id).toBe(request.lago_id);

    const found = await h.call('GET', `/api/v1/payment_requests/${request.lago_id}`);
    expect((found.body as { payment_request: WireRequest }).payment_request.lago_id).toBe(request.lago_id);
    const listed = await h.call('GET', '/api/v1/payment_requests?per_page=1&payment_status=pending');
    expect(listed.body).toMatchObject({
      payment_requests: [{ lago_id: request.lago_id }],
      meta: { current_page: 1, total_count: 1, total_pages: 1 },
    });
    const theirs = await h.call('GET', `/api/v1/payment_requests/${request.lago_id}`, {
      key: h.globex.apiKey,
    });
    expect(theirs).toMatchObject({ status: 404, body: { code: 'payment_request_not_found' } });
    const theirList = await h.call('GET', '/api/v1/payment_requests', { key: h.globex.apiKey });
    expect(theirList.body).toMatchObject({ payment_requests: [], meta: { total_count: 0 } });

    // Its customer has no Stripe customer: the request fails without any charge, the invoices unchanged.
    const result = await collectPaymentRequest({
      ctx: h.deps.ctx,
      input: { organizationId: h.acme.organizationId, paymentRequestId: request.lago_id },
    });
    expect(result).toMatchObject({ ok: true, value: { paymentStatus: 'failed', paymentId: null } });
    const failed = await h.call('GET', '/api/v1/payment_requests?payment_status=failed');
    expect(failed.body).toMatchObject({
      payment_requests: [{ lago_id: request.lago_id, payment_status: 'failed' }],
    });
    const scoped = await h.call('GET', '/api/v1/customers/cust_plain/payment_requests');
    expect((scoped.body as { payment_requests: unknown[] }).payment_requests).toHaveLength(1);
  });

  it('charges a customer with a card once for the sum, and renders the payment as a request’s', async () => {
    const a = await createSetupFeeInvoice<WireInvoice>(h, 'cust_card');
    const b = await createSetupFeeInvoice<WireInvoice>(h, 'cust_card');
    // Collection was never run: both invoices wait, due since their issuing date.
    const created = await ask({
      external_customer_id: 'cust_card',
      email: 'ap@card.test',
      lago_invoice_ids: [a.lago_id, b.lago_id],
    });
    expect(created.status).toBe(200);
    const request = (created.body as { payment_request: WireRequest }).payment_request;
    const result = await collectPaymentRequest({
      ctx: h.deps.ctx,
      input: { organizationId: h.acme.organizationId, paymentRequestId: request.lago_id },
    });
    expect(result).toMatchObject({ ok: true, value: { paymentStatus: 'succeeded' } });
    // A collection of either invoice afterwards charges nothing more.
    await collect(h, a.lago_id);
    const payments = await h.call('GET', '/api/v1/customers/cust_card/payments');
    const charges = (payments.body as { payments: Record<string, unknown>[] }).payments.filter(
      (p) => p.lago_payable_id === request.lago_id,
    );
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      payable_type: 'PaymentRequest',
      amount_cents: 100_000,
      invoice_ids: [a.lago_id, b.lago_id],
      payment_status: 'succeeded',
    });
    for (const invoice of [a, b]) {
      const got = await h.call('GET', `/api/v1/invoices/${invoice.lago_id}`);
      expect((got.body as { invoice: WireInvoice }).invoice.payment_status).toBe('succeeded');
    }
  });

  it('refuses in Lago’s error shapes', async () => {
    const a = await createSetupFeeInvoice<WireInvoice>(h);
    expect(await h.call('POST', '/api/v1/payment_requests', { body: {} })).toMatchObject({ status: 400 });
    expect(await ask({ external_customer_id: 'cust_plain' })).toMatchObject({
      status: 422,
      body: { code: 'validation_errors' },
    });
    expect(
      await ask({ external_customer_id: 'cust_plain', lago_invoice_ids: [a.lago_id] }, {}, h.globex.apiKey),
    ).toMatchObject({
      status: 404,
      body: { code: 'customer_not_found' },
    });
    expect(await h.call('GET', '/api/v1/payment_requests/not-a-uuid')).toMatchObject({
      status: 404,
      body: { code: 'payment_request_not_found' },
    });
    expect(await h.call('GET', '/api/v1/payment_requests?payment_status=nope')).toMatchObject({
      status: 422,
    });
  });
});
