import {
  type Customer,
  connectStripe,
  createAddOn,
  createOneOffInvoice,
  type Invoice,
  type StripeConnection,
  type UseCaseContext,
  upsertCustomer,
} from '@payrail/domain';
import { type PrivateTargetKind, WebhookSigningKey } from '@payrail/lago-wire';
import type { QueueDefinition } from '@payrail/persistence';
import { createTestDatabase, type TestDatabase, waitForJobs } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type EmulatorControls, emulatorControls, type RunningEmulator } from '@payrail/stripe-emulator';
import { composeWorker, type WorkerSettings } from '@payrail/worker';
import { type RunningSystem, startSystem } from '../../src/system.js';

/**
 * The real thing on loopback, started as the start command starts it (`startSystem`): a clean
 * database schema, the Stripe emulator delivering signed webhooks over HTTP to the webhooks app,
 * the API, and the worker running every queue; plus an organization connected to the emulator.
 */
export interface System {
  readonly running: RunningSystem;
  readonly db: TestDatabase;
  readonly emulator: RunningEmulator;
  readonly controls: EmulatorControls;
  readonly apiUrl: string;
  readonly webhooksUrl: string;
  /** The use cases on the same database, to act as the API would without going through HTTP. */
  readonly ctx: UseCaseContext;
  readonly signingKey: WebhookSigningKey;
  readonly organizationId: string;
  readonly connection: StripeConnection;
  /** Waits until the emulator has delivered everything and the worker has run every job. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface SystemTestOptions {
  readonly queues?: readonly QueueDefinition[];
  readonly worker?: Partial<Omit<WorkerSettings, 'webhookIssuer' | 'webhookPrivateTargets'>>;
  /** The merchant receivers of these tests listen on loopback, which production refuses: allowed by default. */
  readonly allowPrivateWebhookTargets?: readonly PrivateTargetKind[];
}

export async function startWorkerSystem(options: SystemTestOptions = {}): Promise<System> {
  const db = await createTestDatabase({
    prefix: 'system',
    ...(options.queues ? { queues: options.queues } : {}),
  });
  const signingKey = WebhookSigningKey.generate();
  const running = await startSystem({
    host: '127.0.0.1',
    apiPort: 0,
    webhooksPort: 0,
    emulatorPort: 0,
    database: db,
    signingKey,
    emulator: { webhookRetry: { maxAttempts: 3, initialDelayMs: 20 } },
    worker: { concurrency: 2, notFoundAttempts: 3, webhookTimeoutMs: 5_000, ...options.worker },
    allowPrivateWebhookTargets: options.allowPrivateWebhookTargets ?? ['loopback'],
  }).catch(async (error: unknown) => {
    await db.dispose();
    throw error;
  });
  const emulator = running.emulator;
  if (!emulator) throw new Error('the system runs its own emulator');
  const controls = emulatorControls(emulator.url);
  const { ctx } = composeWorker({
    db,
    gateways: new StripeGatewayFactory({ apiBase: emulator.url, maxNetworkRetries: 0 }),
    signingKey,
    publicBaseUrl: running.webhooksUrl,
    apiUrl: running.apiUrl,
  });

  const organization = await db.organizations.create({ name: 'Acme', documentNumberPrefix: 'ACM' });
  const connected = await connectStripe({
    ctx,
    input: {
      organizationId: organization.id,
      name: 'Stripe',
      code: 'stripe_main',
      secretKey: 'sk_test_payrail_e2e',
    },
  });
  if (!connected.ok) throw new Error(`connectStripe: ${connected.error.message}`);

  return {
    running,
    db,
    emulator,
    controls,
    apiUrl: running.apiUrl,
    webhooksUrl: running.webhooksUrl,
    ctx,
    signingKey,
    organizationId: organization.id,
    connection: connected.value,
    async settle() {
      for (let i = 0; i < 3; i++) {
        await controls.waitForDeliveries({ timeoutMs: 20_000 });
        await waitForJobs(db, 45_000);
      }
    },
    async stop() {
      await running.stop();
      await db.dispose();
    },
  };
}

/** A customer linked to Stripe (the worker created the Stripe customer), with a checkout link out. */
export async function linkCustomer(
  system: System,
  externalId: string,
  options: { currency: string; methods: readonly string[] },
): Promise<{ customerId: string; sessionId: string }> {
  const upserted = await upsertCustomer({
    ctx: system.ctx,
    input: {
      organizationId: system.organizationId,
      externalId,
      name: `Customer ${externalId}`,
      email: `${externalId}@example.com`,
      currency: options.currency,
      billingConfiguration: {
        paymentProvider: 'stripe',
        paymentProviderCode: 'stripe_main',
        syncWithProvider: true,
        providerPaymentMethods: options.methods,
      },
    },
  });
  if (!upserted.ok) throw new Error(`upsertCustomer: ${upserted.error.message}`);
  await system.settle();
  const checkout = await checkoutUrlOf(system, upserted.value.customer.id);
  const sessionId = /cs_[A-Za-z0-9_]+/.exec(checkout)?.[0];
  if (!sessionId) throw new Error(`no session id in ${checkout}`);
  return { customerId: upserted.value.customer.id, sessionId };
}

/** The customer fills in the hosted checkout page; Stripe then sends `setup_intent.succeeded`. */
export async function completeCheckout(system: System, sessionId: string, instrument: string): Promise<void> {
  const completed = await system.controls.completeCheckout(sessionId, { instrument });
  if (!completed.ok) throw new Error(`checkout: ${completed.message}`);
  await system.settle();
}

export async function loadCustomer(system: System, customerId: string): Promise<Customer> {
  const customer = await system.ctx.uow.run(system.organizationId, (tx) => tx.customers.findById(customerId));
  if (!customer) throw new Error('customer vanished');
  return customer;
}

/** A customer linked to Stripe with a saved method, through the real checkout flow. */
export async function customerWithMethod(
  system: System,
  externalId: string,
  options: { currency: string; instrument: string; methods: readonly string[] },
): Promise<Customer> {
  const { customerId, sessionId } = await linkCustomer(system, externalId, options);
  await completeCheckout(system, sessionId, options.instrument);
  return loadCustomer(system, customerId);
}

async function checkoutUrlOf(system: System, customerId: string): Promise<string> {
  const rows = (await system.db.orm.em
    .fork()
    .execute(
      `select payload from "${system.db.schema}".webhook_events where webhook_type = 'customer.checkout_url_generated'`,
    )) as { payload: { lago_customer_id: string; checkout_url: string } }[];
  const row = rows.find((r) => r.payload.lago_customer_id === customerId);
  if (!row) throw new Error('no checkout_url_generated event');
  return row.payload.checkout_url;
}

export async function oneOffInvoice(
  system: System,
  externalCustomerId: string,
  amountCents: number,
  currency: string,
): Promise<Invoice> {
  const code = `fee_${amountCents}_${currency}_${Math.random().toString(36).slice(2, 8)}`;
  const addOn = await createAddOn({
    ctx: system.ctx,
    input: { organizationId: system.organizationId, code, name: code, amountCents, amountCurrency: currency },
  });
  if (!addOn.ok) throw new Error(`createAddOn: ${addOn.error.message}`);
  const invoice = await createOneOffInvoice({
    ctx: system.ctx,
    input: {
      organizationId: system.organizationId,
      externalCustomerId,
      currency,
      fees: [{ addOnCode: code }],
    },
  });
  if (!invoice.ok) throw new Error(`createOneOffInvoice: ${invoice.error.message}`);
  return invoice.value;
}

export async function reloadInvoice(system: System, invoiceId: string): Promise<Invoice> {
  const invoice = await system.ctx.uow.run(system.organizationId, (tx) => tx.invoices.findById(invoiceId));
  if (!invoice) throw new Error('invoice vanished');
  return invoice;
}

export async function query<T>(system: System, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await system.db.orm.em
    .fork()
    .execute(sql.replaceAll('$schema', `"${system.db.schema}"`), params)) as T[];
}
