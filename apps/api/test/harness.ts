import { randomUUID } from 'node:crypto';
import {
  collectInvoicePayment,
  invoiceMachine,
  type PendingPayment,
  syncCustomerToStripe,
} from '@payrail/domain';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { createLogger } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type KeyMode, type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import Stripe from 'stripe';
import {
  type ApiDeps,
  type BootstrappedOrganization,
  bootstrapOrganization,
  buildApiDeps,
  createApiApp,
} from '../src/index.js';
import { validateResponses } from './openapi-validation.js';

/** One key per test run: RSA generation is the slow part of a key. */
export const TEST_SIGNING_KEY = WebhookSigningKey.generate();

export interface Harness {
  readonly app: ReturnType<typeof createApiApp>;
  readonly deps: ApiDeps;
  readonly db: TestDatabase;
  readonly emulator: RunningEmulator;
  readonly acme: BootstrappedOrganization;
  readonly globex: BootstrappedOrganization;
  /** Every JSON log line the app wrote. */
  readonly logs: string[];
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/** The secret key `connectStripe` and `customerWithCard` use. */
export const TEST_STRIPE_KEY = 'sk_test_payrail_ok_1234';

/**
 * A real database schema, a real emulator over HTTP, the real Stripe SDK adapter, two organizations.
 * With `stripeKeys: 'registered'` the emulator knows only the keys registered with it (as Stripe
 * knows only the keys it issued); `TEST_STRIPE_KEY` is registered.
 */
export async function startHarness(options: { stripeKeys?: KeyMode } = {}): Promise<Harness> {
  const db = await createTestDatabase({ prefix: 'api' });
  const emulator = await startEmulator({ port: 0, keys: options.stripeKeys ?? 'any' });
  emulator.emulator.registerKey(TEST_STRIPE_KEY);
  const logs: string[] = [];
  const deps = buildApiDeps({
    database: db,
    gateways: new StripeGatewayFactory({ apiBase: emulator.url, maxNetworkRetries: 0 }),
    signingKey: TEST_SIGNING_KEY,
    settings: { publicBaseUrl: 'https://payrail.example.test' },
    logger: createLogger({
      service: 'api',
      level: 'debug',
      write: (line) => {
        logs.push(line);
        // A 500 is a bug: show its log line next to the failing test.
        if (line.includes('"level":"error"')) process.stderr.write(`${line}\n`);
      },
    }),
    version: 'test',
  });
  const app = createApiApp(deps);
  await validateResponses(app);
  const acme = await bootstrapOrganization(db.organizations, { name: 'Acme' });
  const globex = await bootstrapOrganization(db.organizations, { name: 'Globex' });
  return {
    app,
    deps,
    db,
    emulator,
    acme,
    globex,
    logs,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const key = options.key === undefined ? acme.apiKey : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      await emulator.stop();
      await db.dispose();
    },
  };
}

/** A Stripe connection on the emulator for `org` (the test key is accepted by the emulator). */
export async function connectStripe(h: Harness, key = h.acme.apiKey, code = 'stripe_test') {
  const res = await h.call('POST', '/api/v1/stripe_connections', {
    key,
    body: { stripe_connection: { name: 'Stripe test', code, secret_key: TEST_STRIPE_KEY } },
  });
  if (res.status !== 200) throw new Error(`connect failed: ${res.status} ${res.text}`);
  return (res.body as { stripe_connection: { lago_id: string } }).stripe_connection;
}

/**
 * A linked customer with a saved card, as after a completed checkout: the card is attached in
 * the emulator through the real SDK, then the domain imports Stripe's default method.
 */
export async function customerWithCard(h: Harness, externalId: string, key = h.acme.apiKey): Promise<string> {
  const res = await h.call('POST', '/api/v1/customers', {
    key,
    body: {
      customer: {
        external_id: externalId,
        name: externalId,
        currency: 'USD',
        billing_configuration: { payment_provider: 'stripe', sync_with_provider: true, sync: true },
      },
    },
  });
  const customer = (
    res.body as { customer: { lago_id: string; billing_configuration: { provider_customer_id: string } } }
  ).customer;
  const stripe = new Stripe(TEST_STRIPE_KEY, {
    host: '127.0.0.1',
    port: h.emulator.port,
    protocol: 'http',
    telemetry: false,
  });
  const cus = customer.billing_configuration.provider_customer_id;
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: cus });
  await stripe.customers.update(cus, { invoice_settings: { default_payment_method: pm.id } });
  const organizationId = key === h.acme.apiKey ? h.acme.organizationId : h.globex.organizationId;
  const synced = await syncCustomerToStripe({
    ctx: h.deps.ctx,
    input: { organizationId, customerId: customer.lago_id },
  });
  if (!synced.ok) throw new Error(`sync failed: ${synced.error.code}`);
  return customer.lago_id;
}

/** What the worker does with a `payment.collect` job. */
export async function collect(h: Harness, invoiceId: string, organizationId = h.acme.organizationId) {
  const result = await collectInvoicePayment({ ctx: h.deps.ctx, input: { organizationId, invoiceId } });
  if (!result.ok) throw new Error(`collect failed: ${result.error.code}`);
  return result.value;
}

/**
 * The state between the worker committing a pending attempt and Stripe answering: the invoice is
 * locked to a payment that is still out at the provider.
 */
export async function leaveAttemptInFlight(
  h: Harness,
  invoiceId: string,
  organizationId = h.acme.organizationId,
) {
  await h.db.unitOfWork.run(organizationId, async (tx) => {
    const invoice = await tx.invoices.findById(invoiceId);
    if (!invoice) throw new Error('no invoice');
    const customer = await tx.customers.findById(invoice.customerId);
    const method = (await tx.paymentMethods.listByCustomer(invoice.customerId))[0];
    if (customer?.billing.provider !== 'stripe' || !method) throw new Error('no linked customer');
    const link = customer.billing.providerCustomer;
    const now = new Date();
    const payment: PendingPayment = {
      id: randomUUID(),
      organizationId,
      invoiceId,
      customerId: customer.id,
      connectionId: customer.billing.connectionId,
      providerCustomerId: link.status === 'linked' ? link.providerCustomerId : 'cus_unknown',
      providerPaymentMethodId: method.providerPaymentMethodId,
      amountCents: invoice.totalAmountCents - invoice.totalPaidAmountCents,
      currency: invoice.currency,
      providerPaymentId: null,
      providerStatus: null,
      request: {
        allowedMethods: ['card'],
        description: `Invoice ${invoice.id}`,
        returnUrl: null,
        metadata: { lago_invoice_id: invoice.id },
      },
      checkout: null,
      status: 'pending',
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const locked = invoiceMachine.startAttempt(invoice, payment.id, now);
    if (!locked.ok) throw new Error(locked.error.code);
    await tx.payments.insert(payment);
    await tx.invoices.update(locked.value);
  });
}

/**
 * What the invoice-level tests start from: the `setup_fee` add-on (500.00 USD), a customer with no
 * payment provider (`cust_plain`) and one with a saved card (`cust_card`).
 */
export async function seedSetupFeeCustomers(h: Harness): Promise<void> {
  await connectStripe(h);
  await h.call('POST', '/api/v1/add_ons', {
    body: { add_on: { name: 'Setup fee', code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD' } },
  });
  await h.call('POST', '/api/v1/customers', {
    body: { customer: { external_id: 'cust_plain', currency: 'USD' } },
  });
  await customerWithCard(h, 'cust_card');
}

/** A one-off invoice of one `setup_fee` for the customer, as the API returns it. */
export async function createSetupFeeInvoice<T>(h: Harness, externalId = 'cust_plain'): Promise<T> {
  const res = await h.call('POST', '/api/v1/invoices', {
    body: { invoice: { external_customer_id: externalId, fees: [{ add_on_code: 'setup_fee' }] } },
  });
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  return (res.body as { invoice: T }).invoice;
}

/** How many `invoice.payment_status_updated` events the outbox holds for the invoice. */
export async function countStatusEvents(h: Harness, invoiceId: string): Promise<number> {
  const rows: { n: string | number }[] = await h.db.orm.em
    .fork()
    .execute(
      `select count(*) as n from "${h.db.schema}".webhook_events where webhook_type = 'invoice.payment_status_updated' and payload::text like ?`,
      [`%${invoiceId}%`],
    );
  return Number(rows[0]?.n ?? 0);
}
