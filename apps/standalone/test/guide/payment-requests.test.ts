/**
 * Payment requests (Lago's dunning): several overdue invoices of one customer collected as one
 * Stripe charge, through the real API, worker, webhooks app and emulator over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithSavedMethod,
  eventually,
  type Guide,
  oneOffInvoice,
  startGuide,
  submitCheckout,
} from './harness.js';

describe('payment requests: overdue invoices collected as one payment', () => {
  let guide: Guide;
  let code: string;
  let secretKey: string;
  beforeAll(async () => {
    guide = await startGuide();
    ({ code, secretKey } = await guide.connect());
  });
  afterAll(() => guide.stop());

  const invoiceOf = async (id: string) => (await guide.call('GET', `/invoices/${id}`)).body.invoice;
  const requestOf = async (id: string) =>
    (await guide.call('GET', `/payment_requests/${id}`)).body.payment_request;
  const webhooksAbout = (type: string, id: string) =>
    guide.webhooks.filter((w) => w.type === type && JSON.stringify(w.body).includes(id));

  /** A customer whose saved card takes no charge, and invoices whose collection failed. */
  async function overdueInvoices(
    externalId: string,
    amounts: number[],
    instrument = 'card_charge_customer_fail',
  ) {
    const { providerCustomerId } = await customerWithSavedMethod(guide, {
      externalId,
      currency: 'USD',
      code,
      instrument,
    });
    const invoices: Record<string, any>[] = [];
    for (const amountCents of amounts) {
      const invoice = await oneOffInvoice(guide, { externalId, currency: 'USD', amountCents });
      await eventually(
        async () => (await invoiceOf(invoice.lago_id)).payment_status === 'failed',
        `invoice ${invoice.number} to fail`,
      );
      invoices.push(invoice);
    }
    return { providerCustomerId, invoices };
  }

  /** The customer saves a working card through a new checkout link; it becomes the default. */
  async function saveCard(externalId: string, instrument: string) {
    const before = (await guide.call('GET', `/customers/${externalId}/payment_methods`)).body.payment_methods;
    const link = await guide.call('POST', `/customers/${externalId}/checkout_url`);
    await submitCheckout(link.body.customer.checkout_url, instrument);
    await eventually(async () => {
      const methods = (await guide.call('GET', `/customers/${externalId}/payment_methods`)).body
        .payment_methods;
      const current = methods.find((m: { is_default: boolean }) => m.is_default);
      return (
        methods.length > before.length &&
        !before.some((m: { lago_id: string }) => m.lago_id === current?.lago_id)
      );
    }, 'the new card to become the default');
  }

  it('charges the sum once; every invoice succeeds with it, with Lago’s webhooks', async () => {
    const { providerCustomerId, invoices } = await overdueInvoices('dunned', [3_000, 4_500]);
    await saveCard('dunned', 'card_visa');
    const ids = invoices.map((i) => i.lago_id);

    const created = await guide.call('POST', '/payment_requests', {
      payment_request: {
        external_customer_id: 'dunned',
        email: 'dunning@example.test',
        lago_invoice_ids: ids,
      },
    });
    expect(created.status).toBe(200);
    const request = created.body.payment_request;
    expect(request).toMatchObject({
      email: 'dunning@example.test',
      amount_cents: 7_500,
      amount_currency: 'USD',
      payment_status: 'pending',
      customer: { external_id: 'dunned' },
    });
    expect(request.invoices.map((i: { lago_id: string }) => i.lago_id)).toEqual(ids);

    const settled = await eventually(async () => {
      const got = await requestOf(request.lago_id);
      return got.payment_status === 'succeeded' ? got : undefined;
    }, 'the payment request to succeed');
    expect(settled.amount_cents).toBe(7_500);
    for (const id of ids) {
      const invoice = await invoiceOf(id);
      expect(invoice.payment_status).toBe('succeeded');
      expect(invoice.total_paid_amount_cents).toBe(invoice.total_amount_cents);
    }

    const stripe = guide.stripe(secretKey);
    const intents = (await stripe.paymentIntents.list({ customer: providerCustomerId })).data.filter(
      (pi) => pi.metadata.lago_payable_type === 'PaymentRequest',
    );
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ amount: 7_500, currency: 'usd', status: 'succeeded' });
    expect(intents[0]?.metadata.lago_payable_id).toBe(request.lago_id);

    await eventually(
      () => webhooksAbout('payment_request.payment_status_updated', request.lago_id)[0],
      'status webhook',
    );
    const [announced] = webhooksAbout('payment_request.created', request.lago_id);
    expect(announced?.body).toMatchObject({
      object_type: 'payment_request',
      payment_request: { lago_id: request.lago_id, payment_status: 'pending', amount_cents: 7_500 },
    });
    const [updated] = webhooksAbout('payment_request.payment_status_updated', request.lago_id);
    expect(updated?.body.payment_request.payment_status).toBe('succeeded');
    for (const id of ids) {
      await eventually(
        () =>
          webhooksAbout('invoice.payment_status_updated', id).find(
            (w) => w.body.invoice.payment_status === 'succeeded',
          ),
        'invoice.payment_status_updated (succeeded)',
      );
    }
    const paid = await eventually(
      () =>
        guide.webhooks.find(
          (w) => w.type === 'payment.succeeded' && w.body.payment.lago_payable_id === request.lago_id,
        ),
      'payment.succeeded',
    );
    expect(paid.body.payment).toMatchObject({ payable_type: 'PaymentRequest', amount_cents: 7_500 });
    expect(paid.body.payment.invoice_ids).toEqual(ids);

    // Lists, with Lago's filters and pagination.
    const listed = await guide.call(
      'GET',
      '/payment_requests?external_customer_id=dunned&payment_status=succeeded',
    );
    expect(listed.status).toBe(200);
    expect(listed.body.payment_requests.map((r: { lago_id: string }) => r.lago_id)).toEqual([
      request.lago_id,
    ]);
    expect(listed.body.meta).toMatchObject({ current_page: 1, total_count: 1, next_page: null });
    const none = await guide.call(
      'GET',
      '/payment_requests?external_customer_id=dunned&payment_status=failed',
    );
    expect(none.body).toMatchObject({ payment_requests: [], meta: { total_count: 0 } });
    const bad = await guide.call('GET', '/payment_requests?payment_status=sideways');
    expect(bad.status).toBe(422);
    const scoped = await guide.call('GET', '/customers/dunned/payment_requests');
    expect(scoped.body.payment_requests).toHaveLength(1);

    // Paid now: a second request for them is refused.
    const again = await guide.call('POST', '/payment_requests', {
      payment_request: { external_customer_id: 'dunned', lago_invoice_ids: ids },
    });
    expect(again.status).toBe(405);
    expect(again.body).toMatchObject({
      status: 405,
      error: 'Method Not Allowed',
      code: 'invoices_not_overdue',
    });
  });

  it('fails every invoice when the charge fails, and says so with payment_request.payment_failure', async () => {
    const { invoices } = await overdueInvoices('still_failing', [2_000, 2_500]);
    const ids = invoices.map((i) => i.lago_id);
    // Stripe sends each of the next events twice.
    await guide.controls.duplicateNext(10);
    const created = await guide.call('POST', '/payment_requests', {
      payment_request: { external_customer_id: 'still_failing', lago_invoice_ids: ids },
    });
    expect(created.status).toBe(200);
    const request = created.body.payment_request;
    expect(request.email).toBe('still_failing@example.test');
    const failed = await eventually(async () => {
      const got = await requestOf(request.lago_id);
      return got.payment_status === 'failed' ? got : undefined;
    }, 'the payment request to fail');
    for (const invoice of failed.invoices) expect(invoice.payment_status).toBe('failed');
    const failure = await eventually(
      () => webhooksAbout('payment_request.payment_failure', request.lago_id)[0],
      'payment_request.payment_failure',
    );
    expect(failure.body).toMatchObject({
      object_type: 'payment_provider_payment_request_payment_error',
      payment_provider_payment_request_payment_error: {
        lago_payment_request_id: request.lago_id,
        lago_invoice_ids: ids,
        external_customer_id: 'still_failing',
        payment_provider: 'stripe',
        payment_provider_code: code,
        provider_error: { error_code: expect.any(String) },
      },
    });
    await guide.idle();
    expect(webhooksAbout('payment_request.payment_failure', request.lago_id)).toHaveLength(1);
    expect(webhooksAbout('payment_request.payment_status_updated', request.lago_id)).toHaveLength(1);
    const listed = await guide.call('GET', '/payment_requests?payment_status=failed&currency=USD');
    expect(listed.body.payment_requests.map((r: { lago_id: string }) => r.lago_id)).toContain(
      request.lago_id,
    );
  });

  it('refuses mixed currencies, paid, voided and other customers’ invoices, changing nothing', async () => {
    const { invoices } = await overdueInvoices('refused', [1_000, 1_200, 1_400]);
    const [a, b, c] = invoices as [Record<string, any>, Record<string, any>, Record<string, any>];
    const { invoices: others } = await overdueInvoices('bystander', [1_000]);
    const eur = await oneOffInvoice(guide, { externalId: 'refused', currency: 'EUR', amountCents: 900 });
    await eventually(
      async () => (await invoiceOf(eur.lago_id)).payment_status === 'failed',
      'EUR invoice to fail',
    );
    expect((await guide.call('POST', `/invoices/${c.lago_id}/void`)).status).toBe(200);

    const ask = (body: unknown) => guide.call('POST', '/payment_requests', body);
    const cases: [unknown, number, Record<string, unknown>][] = [
      [{ external_customer_id: 'refused' }, 400, { status: 400 }],
      [
        { payment_request: { external_customer_id: 'nobody', lago_invoice_ids: [a.lago_id] } },
        404,
        { code: 'customer_not_found' },
      ],
      [
        { payment_request: { external_customer_id: 'refused', lago_invoice_ids: [] } },
        422,
        { code: 'validation_errors' },
      ],
      [
        {
          payment_request: {
            external_customer_id: 'refused',
            lago_invoice_ids: [a.lago_id, others[0]?.lago_id],
          },
        },
        404,
        { code: 'invoice_not_found' },
      ],
      [
        { payment_request: { external_customer_id: 'refused', lago_invoice_ids: [a.lago_id, 'not-a-uuid'] } },
        404,
        { code: 'invoice_not_found' },
      ],
      [
        { payment_request: { external_customer_id: 'refused', lago_invoice_ids: [a.lago_id, c.lago_id] } },
        405,
        { code: 'invoices_not_overdue' },
      ],
      [
        { payment_request: { external_customer_id: 'refused', lago_invoice_ids: [a.lago_id, eur.lago_id] } },
        405,
        { code: 'invoices_have_different_currencies' },
      ],
    ];
    for (const [body, status, expected] of cases) {
      const res = await ask(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toMatchObject({ status, ...expected });
    }
    const listed = await guide.call('GET', '/payment_requests?external_customer_id=refused');
    expect(listed.body.payment_requests).toEqual([]);
    for (const invoice of [a, b]) expect((await invoiceOf(invoice.lago_id)).payment_status).toBe('failed');
    expect(
      (await guide.call('GET', '/payment_requests/00000000-0000-4000-8000-000000000000')).body,
    ).toMatchObject({
      status: 404,
      code: 'payment_request_not_found',
    });
  });

  it('a lost dispute on the one charge is lost on every invoice it paid', async () => {
    const { providerCustomerId, invoices } = await overdueInvoices('disputed_request', [5_000, 6_000]);
    await saveCard('disputed_request', 'card_dispute');
    const ids = invoices.map((i) => i.lago_id);
    const created = await guide.call('POST', '/payment_requests', {
      payment_request: { external_customer_id: 'disputed_request', lago_invoice_ids: ids },
    });
    const request = created.body.payment_request;
    await eventually(
      async () => (await requestOf(request.lago_id)).payment_status === 'succeeded',
      'the charge',
    );
    const stripe = guide.stripe(secretKey);
    const intent = (await stripe.paymentIntents.list({ customer: providerCustomerId })).data.find(
      (pi) => pi.metadata.lago_payable_id === request.lago_id,
    );
    const dispute = await eventually(
      async () => (await stripe.disputes.list({ payment_intent: intent?.id })).data[0],
      'the dispute Stripe opens',
    );
    await guide.controls.closeDispute(dispute.id, 'lost');
    for (const id of ids) {
      await eventually(async () => (await invoiceOf(id)).payment_dispute_lost_at, `dispute lost on ${id}`);
      await eventually(
        () => webhooksAbout('invoice.payment_dispute_lost', id)[0],
        'invoice.payment_dispute_lost',
      );
    }
    const retried = await guide.call('POST', `/invoices/${ids[0]}/retry_payment`);
    expect(retried.status).toBe(405);
  });
});
