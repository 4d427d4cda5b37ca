import { describe, expect, it } from 'vitest';
import type { PaymentIntentOutcome } from '../ports/payment-gateway.js';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { createCreditNote } from './create-credit-note.js';
import { createManualPayment } from './create-manual-payment.js';
import { generateInvoicePaymentUrl } from './generate-invoice-payment-url.js';
import { handleStripeCommand } from './handle-stripe-command.js';
import { loseDispute } from './lose-dispute.js';
import { reconcilePayment } from './reconcile-payment.js';
import { retryInvoicePayment } from './retry-invoice-payment.js';
import { IDEMPOTENCY_WINDOW_MS } from './steps/look-up-attempt.js';
import { voidInvoice } from './void-invoice.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function paymentUrl(t: TestContext, invoiceId: string) {
  return generateInvoicePaymentUrl({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId } });
}

function collect(t: TestContext, invoiceId: string) {
  return collectInvoicePayment({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId } });
}

function reconcile(t: TestContext, paymentId: string) {
  return reconcilePayment({ ctx: t.ctx, input: { organizationId: t.organization.id, paymentId } });
}

/** A customer linked to Stripe without a saved method, and an invoice of 120.00 EUR waiting for one. */
async function waitingInvoice(
  t: TestContext,
  options: { methodType?: 'card' | 'sepa_debit' | null; methods?: string[]; amountCents?: number } = {},
) {
  const linked = await givenLinkedCustomer(t, {
    methodType: options.methodType === undefined ? null : options.methodType,
    methods: options.methods ?? ['card'],
  });
  await givenAddOn(t, 'setup_fee', options.amountCents ?? 12_000);
  const invoice = await givenInvoice(t);
  // The worker took the jobs queued so far (the invoice's collection among them).
  t.store.takeJobs();
  if (options.methodType === undefined || options.methodType === null) expectOk(await collect(t, invoice.id));
  return { ...linked, invoice };
}

/** A Stripe event about a payment intent, as the webhook path delivers it. */
function intentEvent(
  t: TestContext,
  connectionId: string,
  lagoPaymentId: string,
  outcome: PaymentIntentOutcome,
) {
  return handleStripeCommand({
    ctx: t.ctx,
    input: {
      organizationId: t.organization.id,
      connectionId,
      providerEventId: `evt_${outcome.providerPaymentId}_${outcome.status}`,
      occurredAt: t.clock.now(),
      command: { kind: 'payment_intent_outcome', lagoPaymentId, lagoInvoiceId: null, outcome },
    },
  });
}

function pageEvent(t: TestContext, connectionId: string, lagoPaymentId: string, providerSessionId: string) {
  return handleStripeCommand({
    ctx: t.ctx,
    input: {
      organizationId: t.organization.id,
      connectionId,
      providerEventId: `evt_${providerSessionId}_${t.clock.now().getTime()}`,
      occurredAt: t.clock.now(),
      command: { kind: 'payment_checkout_changed', lagoPaymentId, providerSessionId },
    },
  });
}

const sessionOf = (url: string) => url.split('/').pop() as string;

describe('generateInvoicePaymentUrl: which invoices get a link', () => {
  it('a pending invoice gets a one-time page for what is due, tied to a new attempt in flight', async () => {
    const t = createTestContext();
    const { invoice, customer, providerCustomerId, connection } = await waitingInvoice(t);
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({ waitingFor: 'no_payment_method' });

    const link = expectOk(await paymentUrl(t, invoice.id));
    expect(link.customer.id).toBe(customer.id);
    const page = t.gateway.pages.get(sessionOf(link.url));
    expect(page).toMatchObject({
      idempotencyKey: `payment-${link.paymentId}`,
      providerCustomerId,
      amountCents: 12_000,
      currency: 'EUR',
      allowedMethods: ['card'],
      metadata: {
        lago_invoice_id: invoice.id,
        lago_customer_id: customer.id,
        lago_payment_id: link.paymentId,
        lago_organization_id: t.organization.id,
        payment_type: 'one-time',
      },
    });
    expect(t.gateway.calls.find((c) => c.method === 'createPaymentCheckoutSession')?.input).toMatchObject({
      lineItemName: invoice.number,
      description: `Acme - Invoice ${invoice.number}`,
      successUrl: connection.successRedirectUrl,
    });
    expect(t.store.payments.get(link.paymentId)).toMatchObject({
      status: 'pending',
      amountCents: 12_000,
      providerPaymentMethodId: null,
      checkout: {
        lineItemName: invoice.number,
        session: { providerSessionId: sessionOf(link.url), url: link.url },
      },
    });
    expect(t.store.invoices.get(invoice.id)?.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: link.paymentId,
      waitingFor: 'payment_link_open',
    });
    // Its end is read when it comes, even if Stripe's event never arrives.
    expect(
      t.store
        .jobsNamed('payment.reconcile')
        .find((j) => j.dedupeKey === `payment.reconcile:${link.paymentId}:expiry`),
    ).toMatchObject({ runAt: new Date(link.expiresAt.getTime() + 5 * 60_000) });
  });

  it('asked again while the page is open, the same URL comes back and no second page is made', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    const first = expectOk(await paymentUrl(t, invoice.id));
    t.clock.advance(60 * 60_000);
    const again = expectOk(await paymentUrl(t, invoice.id));
    expect(again).toMatchObject({ url: first.url, paymentId: first.paymentId });
    expect(t.gateway.pages.size).toBe(1);
    expect(t.store.payments.size).toBe(1);
  });

  it('charges what is due now: total less offsets', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    expectOk(
      await createCreditNote({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          invoiceId: invoice.id,
          items: [{ feeId: invoice.fees[0]?.id as string, amountCents: 2_000 }],
          offsetAmountCents: 2_000,
        },
      }),
    );
    const link = expectOk(await paymentUrl(t, invoice.id));
    expect(t.gateway.pages.get(sessionOf(link.url))?.amountCents).toBe(10_000);
  });

  it('a failed invoice may get one: the customer pays what the saved card could not', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t, { methodType: 'card' });
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('pending');
    t.gateway.intentScript.push({ kind: 'outcome', status: 'failed' });
    expectOk(await collect(t, invoice.id));
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('failed');
    const link = expectOk(await paymentUrl(t, invoice.id));
    expect(t.store.invoices.get(invoice.id)?.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: link.paymentId,
      waitingFor: 'payment_link_open',
    });
  });

  it.each([
    ['paid', 'invalid_invoice_status_or_payment_status'],
    ['voided', 'invalid_invoice_status_or_payment_status'],
    ['fully offset', 'invalid_invoice_status_or_payment_status'],
  ])('a %s invoice is refused with 422 %s and nothing reaches Stripe', async (state, code) => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    if (state === 'paid') {
      expectOk(
        await createManualPayment({
          ctx: t.ctx,
          input: {
            organizationId: t.organization.id,
            invoiceId: invoice.id,
            amountCents: 12_000,
            reference: 'wire',
          },
        }),
      );
    } else if (state === 'voided') {
      expectOk(
        await voidInvoice({
          ctx: t.ctx,
          input: { organizationId: t.organization.id, invoiceId: invoice.id },
        }),
      );
    } else {
      // The offset's own collection (which would settle the invoice) has not run yet: nothing is due.
      expectOk(
        await createCreditNote({
          ctx: t.ctx,
          input: {
            organizationId: t.organization.id,
            invoiceId: invoice.id,
            items: [{ feeId: invoice.fees[0]?.id as string, amountCents: 12_000 }],
            offsetAmountCents: 12_000,
          },
        }),
      );
    }
    const refused = await paymentUrl(t, invoice.id);
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'validation', details: { base: [code] } },
    });
    expect(t.gateway.pages.size).toBe(0);
  });

  it('a lost dispute is refused with 405 invoice_dispute_lost', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    expectOk(
      await loseDispute({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    );
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'invoice_dispute_lost' },
    });
  });

  it('while a collection attempt is out at Stripe, no link: 405 and no page (collection first)', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t, { methodType: 'sepa_debit', methods: ['sepa_debit'] });
    t.gateway.intentScript.push({ kind: 'outcome', status: 'processing' });
    expectOk(await collect(t, invoice.id));
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'payment_processor_is_currently_handling_payment' },
    });
    expect(t.gateway.pages.size).toBe(0);
  });

  it('refuses a customer who cannot pay through Stripe, with Lago’s codes', async () => {
    const t = createTestContext();
    const { invoice, customer } = await waitingInvoice(t);
    t.store.customers.set(customer.id, { ...customer, billing: { provider: 'none' } });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'validation', details: { base: ['no_linked_payment_provider'] } },
    });
    if (customer.billing.provider !== 'stripe') throw new Error('linked customer expected');
    t.store.customers.set(customer.id, {
      ...customer,
      billing: { ...customer.billing, providerCustomer: { status: 'pending' } },
    });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'validation', details: { base: ['missing_payment_provider_customer'] } },
    });
  });

  it('refuses an amount below Stripe’s minimum without calling Stripe', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t, { amountCents: 40 });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'validation', details: { base: ['amount_below_provider_minimum'] } },
    });
    expect(t.gateway.calls.some((c) => c.method === 'createPaymentCheckoutSession')).toBe(false);
  });

  it('unknown invoice: 404', async () => {
    const t = createTestContext();
    expect(await paymentUrl(t, '00000006-0000-4000-8000-999999999999')).toMatchObject({
      ok: false,
      error: { code: 'invoice_not_found' },
    });
  });
});

describe('a payment link settles its invoice exactly once', () => {
  it('paid on the page: the invoice is paid once, with the events a collection sends', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    const paid = t.gateway.payPage(sessionOf(link.url));
    expect(expectOk(await intentEvent(t, connection.id, link.paymentId, paid)).result).toBe(
      'payment_succeeded',
    );
    expect(expectOk(await pageEvent(t, connection.id, link.paymentId, sessionOf(link.url))).result).toBe(
      'payment_unchanged',
    );
    expect(t.store.invoices.get(invoice.id)).toMatchObject({
      payment: { status: 'succeeded', paymentId: link.paymentId },
      totalPaidAmountCents: 12_000,
    });
    expect(t.store.payments.get(link.paymentId)).toMatchObject({
      status: 'succeeded',
      providerPaymentId: paid.providerPaymentId,
    });
    expect(t.store.eventsOfType('payment.succeeded')).toHaveLength(1);
    expect(t.store.eventsOfType('invoice.payment_status_updated')).toHaveLength(1);
    // Collection afterwards finds nothing to do; a new link is refused.
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({ outcome: 'nothing_to_do' });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { details: { base: ['invalid_invoice_status_or_payment_status'] } },
    });
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
  });

  it('the completed page alone (its intent event lost) also settles the invoice', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    t.gateway.payPage(sessionOf(link.url));
    expect(expectOk(await pageEvent(t, connection.id, link.paymentId, sessionOf(link.url))).result).toBe(
      'payment_succeeded',
    );
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('succeeded');
  });

  it('a decline on the page changes nothing: the page stays open for another card', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    const declined = t.gateway.payPage(sessionOf(link.url), 'failed');
    expect(expectOk(await intentEvent(t, connection.id, link.paymentId, declined)).result).toBe(
      'payment_unchanged',
    );
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({
      status: 'pending',
      inFlightPaymentId: link.paymentId,
    });
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(0);
    const paid = t.gateway.payPage(sessionOf(link.url));
    expectOk(await intentEvent(t, connection.id, link.paymentId, paid));
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('succeeded');
  });

  it('while the page is open, collection does not charge the saved method (link first, collection after)', async () => {
    const t = createTestContext();
    const { invoice, connection, providerCustomerId } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    // The customer saves a card meanwhile: the invoice is not queued, and a collection that runs anyway does nothing.
    const method = t.gateway.addPaymentMethod(providerCustomerId);
    expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt_setup',
          occurredAt: t.clock.now(),
          command: { kind: 'setup_succeeded', providerCustomerId, paymentMethod: method },
        },
      }),
    );
    expect(t.store.takeJobs().filter((j) => j.name === 'payment.collect')).toEqual([]);
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'nothing_to_do',
      reason: 'payment_processor_is_currently_handling_payment',
    });
    const ref = { ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } };
    expect(await retryInvoicePayment(ref)).toMatchObject({
      ok: false,
      error: { code: 'payment_processor_is_currently_handling_payment' },
    });
    expect(await voidInvoice(ref)).toMatchObject({
      ok: false,
      error: { code: 'payment_processor_is_currently_handling_payment' },
    });
    expect(
      await createManualPayment({ ctx: t.ctx, input: { ...ref.input, amountCents: 100, reference: 'wire' } }),
    ).toMatchObject({ ok: false, error: { code: 'payment_processor_is_currently_handling_payment' } });
    expect(t.gateway.intentsFor(invoice.id)).toHaveLength(0);

    const paid = t.gateway.payPage(sessionOf(link.url));
    expectOk(await intentEvent(t, connection.id, link.paymentId, paid));
    expect(expectOk(await collect(t, invoice.id))).toMatchObject({
      outcome: 'nothing_to_do',
      reason: 'invalid_status',
    });
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
  });

  it('expired unpaid: the attempt ends quietly and collection charges a method saved meanwhile', async () => {
    const t = createTestContext();
    const { invoice, connection, providerCustomerId } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    const method = t.gateway.addPaymentMethod(providerCustomerId);
    expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: 'evt_setup',
          occurredAt: t.clock.now(),
          command: { kind: 'setup_succeeded', providerCustomerId, paymentMethod: method },
        },
      }),
    );
    expect(t.store.takeJobs().filter((j) => j.name === 'payment.collect')).toEqual([]);
    t.clock.advance(DAY_MS);
    t.gateway.expirePage(sessionOf(link.url));
    expect(expectOk(await pageEvent(t, connection.id, link.paymentId, sessionOf(link.url))).result).toBe(
      'payment_failed',
    );
    expect(t.store.payments.get(link.paymentId)).toMatchObject({
      status: 'failed',
      canceled: true,
      failure: { code: 'payment_link_expired' },
    });
    expect(t.store.invoices.get(invoice.id)?.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: null,
    });
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(0);
    expect(t.store.takeJobs().filter((j) => j.name === 'payment.collect')).toMatchObject([
      { payload: { invoiceId: invoice.id } },
    ]);
    const collected = expectOk(await collect(t, invoice.id));
    expect(collected).toMatchObject({ outcome: 'attempted', invoice: { payment: { status: 'succeeded' } } });
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
  });

  it('an intent canceled with its expired page ends the attempt the same way', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    const declined = t.gateway.payPage(sessionOf(link.url), 'failed');
    expectOk(await intentEvent(t, connection.id, link.paymentId, declined));
    const expired = t.gateway.expirePage(sessionOf(link.url));
    expectOk(await intentEvent(t, connection.id, link.paymentId, expired.payment as PaymentIntentOutcome));
    expect(t.store.invoices.get(invoice.id)?.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: null,
    });
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('pending');
  });

  it('a bank debit paid on the page that fails later fails the invoice, as a collection would', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t, { methods: ['sepa_debit'] });
    const link = expectOk(await paymentUrl(t, invoice.id));
    const processing = t.gateway.payPage(sessionOf(link.url), 'processing');
    expect(expectOk(await intentEvent(t, connection.id, link.paymentId, processing)).result).toBe(
      'payment_processing',
    );
    const failed: PaymentIntentOutcome = {
      ...processing,
      status: 'failed',
      providerStatus: 'requires_payment_method',
      code: 'insufficient_funds',
      message: 'The account has insufficient funds.',
    };
    expect(expectOk(await intentEvent(t, connection.id, link.paymentId, failed)).result).toBe(
      'payment_failed',
    );
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({
      status: 'failed',
      failure: { code: 'insufficient_funds' },
    });
    expect(t.store.eventsOfType('invoice.payment_failure')).toHaveLength(1);
  });

  it('a page whose time is up by our clock is closed at Stripe before a new one is made', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    const first = expectOk(await paymentUrl(t, invoice.id));
    t.clock.advance(DAY_MS + 1_000);
    const second = expectOk(await paymentUrl(t, invoice.id));
    expect(second.url).not.toBe(first.url);
    expect(t.gateway.pages.get(sessionOf(first.url))?.state.status).toBe('expired');
    expect(t.store.payments.get(first.paymentId)).toMatchObject({ status: 'failed', canceled: true });
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({ inFlightPaymentId: second.paymentId });
  });

  it('a page paid just as our clock ran out is settled, not replaced', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    t.gateway.payPage(sessionOf(link.url));
    t.clock.advance(DAY_MS + 1_000);
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { details: { base: ['invalid_invoice_status_or_payment_status'] } },
    });
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('succeeded');
    expect(t.gateway.pages.size).toBe(1);
  });

  it('Stripe refusing the page ends the attempt, announces invoice.payment_failure and answers provider_error', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    t.gateway.failNext('createPaymentCheckoutSession', {
      code: 'invalid_request',
      providerCode: 'parameter_invalid',
      message: 'Invalid currency for the payment method types.',
    });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({
      ok: false,
      error: { kind: 'provider', code: 'provider_error', details: { code: 'parameter_invalid' } },
    });
    expect(t.store.invoices.get(invoice.id)?.payment).toEqual({
      status: 'pending',
      inFlightPaymentId: null,
      waitingFor: null,
    });
    expect(t.store.eventsOfType('invoice.payment_failure').map((e) => e.data.provider_error)).toEqual([
      { message: 'Invalid currency for the payment method types.', error_code: 'parameter_invalid' },
    ]);
    expect([...t.store.payments.values()]).toMatchObject([{ status: 'failed', canceled: true }]);
  });

  it('an outage leaves the attempt; asking again sends the same key and gets the one page', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    t.gateway.failNext('createPaymentCheckoutSession', {
      code: 'retryable',
      reason: 'server_error',
      message: 'Stripe is down',
    });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    const [pending] = [...t.store.payments.values()];
    expect(pending).toMatchObject({ status: 'pending', checkout: { session: null } });
    const link = expectOk(await paymentUrl(t, invoice.id));
    expect(link.paymentId).toBe(pending?.id);
    const sent = t.gateway.calls
      .filter((c) => c.method === 'createPaymentCheckoutSession')
      .map((c) => c.input);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(t.gateway.pages.size).toBe(1);
  });
});

describe('the sweep and payment links', () => {
  it('a page whose creation answer was lost is fetched under its key and closed: nobody has its URL', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    // Stripe made the page, but the answer never came back.
    t.gateway.failNext('createPaymentCheckoutSession', {
      code: 'retryable',
      reason: 'network',
      message: 'reset',
    });
    expect(await paymentUrl(t, invoice.id)).toMatchObject({ ok: false });
    const [pending] = [...t.store.payments.values()];
    t.clock.advance(20 * 60_000);
    expectOk(await reconcile(t, pending?.id as string));
    expect([...t.gateway.pages.values()].map((p) => p.state.status)).toEqual(['expired']);
    expect(t.store.payments.get(pending?.id as string)).toMatchObject({ status: 'failed', canceled: true });
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({
      status: 'pending',
      inFlightPaymentId: null,
    });
  });

  it('past the key window, an attempt without a page is closed once any page would have expired', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    t.gateway.failNext('createPaymentCheckoutSession', {
      code: 'retryable',
      reason: 'network',
      message: 'reset',
    });
    await paymentUrl(t, invoice.id);
    const [pending] = [...t.store.payments.values()];
    t.clock.advance(IDEMPOTENCY_WINDOW_MS + 60_000);
    expect(expectOk(await reconcile(t, pending?.id as string)).changed).toBe(false);
    t.clock.advance(DAY_MS);
    expectOk(await reconcile(t, pending?.id as string));
    expect(t.store.payments.get(pending?.id as string)).toMatchObject({ status: 'failed', canceled: true });
    expect(t.gateway.calls.filter((c) => c.method === 'createPaymentCheckoutSession')).toHaveLength(1);
  });

  it('an open page within its time is left open; a paid one is settled', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    t.clock.advance(60 * 60_000);
    expect(expectOk(await reconcile(t, link.paymentId)).changed).toBe(false);
    expect(t.gateway.pages.get(sessionOf(link.url))?.state.status).toBe('open');
    t.gateway.payPage(sessionOf(link.url));
    expectOk(await reconcile(t, link.paymentId));
    expect(t.store.invoices.get(invoice.id)?.payment.status).toBe('succeeded');
  });

  it('money from an older attempt (Stripe’s record wins) closes the open page at once', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t, { methodType: 'card' });
    t.gateway.intentScript.push({ kind: 'outcome', status: 'failed' });
    const declined = expectOk(await collect(t, invoice.id));
    if (declined.outcome !== 'attempted') throw new Error(declined.outcome);
    const link = expectOk(await paymentUrl(t, invoice.id));

    // The declined intent is paid after all (the customer completed it later).
    const intent = t.gateway.intents.get(declined.payment.providerPaymentId as string);
    const succeeded: PaymentIntentOutcome = {
      ...(intent?.outcome as PaymentIntentOutcome),
      status: 'succeeded',
      providerStatus: 'succeeded',
    };
    t.gateway.settleIntent(succeeded.providerPaymentId, succeeded);
    expectOk(await intentEvent(t, connection.id, declined.payment.id, succeeded));
    expect(t.store.invoices.get(invoice.id)?.payment).toMatchObject({
      status: 'succeeded',
      paymentId: declined.payment.id,
    });
    const queued = t.store.jobsNamed('payment.reconcile').map((j) => j.payload.paymentId);
    expect(queued).toContain(link.paymentId);
    expectOk(await reconcile(t, link.paymentId));
    expect(t.gateway.pages.get(sessionOf(link.url))?.state.status).toBe('expired');
    expect(t.store.payments.get(link.paymentId)).toMatchObject({ status: 'failed', canceled: true });
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
  });

  it('a dispute marked lost while the page is open closes the page', async () => {
    const t = createTestContext();
    const { invoice } = await waitingInvoice(t);
    const link = expectOk(await paymentUrl(t, invoice.id));
    t.store.takeJobs();
    expectOk(
      await loseDispute({ ctx: t.ctx, input: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    );
    const queued = t.store.takeJobs().filter((j) => j.name === 'payment.reconcile');
    expect(queued).toMatchObject([{ payload: { paymentId: link.paymentId } }]);
    expectOk(await reconcile(t, link.paymentId));
    expect(t.gateway.pages.get(sessionOf(link.url))?.state.status).toBe('expired');
    expect(t.store.payments.get(link.paymentId)).toMatchObject({ status: 'failed', canceled: true });
  });

  it('if both were paid anyway, the second success is recorded and logged as an error for a refund', async () => {
    const t = createTestContext();
    const { invoice, connection } = await waitingInvoice(t, { methodType: 'card' });
    t.gateway.intentScript.push({ kind: 'outcome', status: 'failed' });
    const declined = expectOk(await collect(t, invoice.id));
    if (declined.outcome !== 'attempted') throw new Error(declined.outcome);
    const link = expectOk(await paymentUrl(t, invoice.id));
    const paidOnPage = t.gateway.payPage(sessionOf(link.url));
    const intent = t.gateway.intents.get(declined.payment.providerPaymentId as string);
    const late: PaymentIntentOutcome = {
      ...(intent?.outcome as PaymentIntentOutcome),
      status: 'succeeded',
      providerStatus: 'succeeded',
    };
    expectOk(await intentEvent(t, connection.id, link.paymentId, paidOnPage));
    expectOk(await intentEvent(t, connection.id, declined.payment.id, late));
    expect(t.store.invoices.get(invoice.id)).toMatchObject({
      payment: { status: 'succeeded', paymentId: link.paymentId },
      totalPaidAmountCents: 12_000,
    });
    expect(t.logger.entries.filter((e) => e.level === 'error').map((e) => e.message)).toContain(
      'payment succeeded on an invoice that no longer expected it',
    );
  });
});
