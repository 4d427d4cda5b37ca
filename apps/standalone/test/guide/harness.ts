/**
 * What every guide scenario starts from: the whole system on real HTTP ports (api, webhooks,
 * worker, the Stripe emulator) over a clean database schema, an organization with its API key, and
 * a receiver for the outgoing webhooks. Scenarios act only through the public API, the `stripe`
 * SDK and the emulator's hosted checkout page, as a user would. The emulator accepts only the
 * secret keys registered with it, as a Stripe account knows only the keys it issued.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapOrganization } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { type EmulatorControls, emulatorControls } from '@payrail/stripe-emulator';
import Stripe from 'stripe';
import { type RunningSystem, startSystem } from '../../src/system.js';

export interface ApiResponse<T = Record<string, any>> {
  readonly status: number;
  readonly body: T;
}

export interface ReceivedWebhook {
  readonly type: string;
  readonly body: Record<string, any>;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface Guide {
  readonly system: RunningSystem;
  readonly database: TestDatabase;
  readonly organizationId: string;
  readonly controls: EmulatorControls;
  readonly webhooks: ReceivedWebhook[];
  call<T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
  /** The real SDK on one emulated Stripe account, to look at what our product did there. */
  stripe(secretKey: string): Stripe;
  /** Connects a fresh emulated Stripe account (its key registered first); returns the connection and its key. */
  connect(input?: { code?: string; successRedirectUrl?: string | null }): Promise<{
    code: string;
    secretKey: string;
    connection: Record<string, any>;
  }>;
  /** Waits until the worker has nothing left to do. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function newStripeKey(): string {
  return `sk_test_guide_${randomBytes(10).toString('hex')}`;
}

export async function startGuide(): Promise<Guide> {
  const database = await createTestDatabase({ prefix: 'guide' });
  const system = await startSystem({
    host: '127.0.0.1',
    apiPort: 0,
    webhooksPort: 0,
    emulatorPort: 0,
    database,
    signingKey: WebhookSigningKey.generate(),
    emulator: { keys: 'registered' },
    // The merchant's webhook receiver below listens on loopback, which production refuses.
    allowPrivateWebhookTargets: ['loopback'],
  });
  const emulatorUrl = new URL(system.stripeApiBase);
  const org = await bootstrapOrganization(database.organizations, { name: 'Guide Company' });

  const webhooks: ReceivedWebhook[] = [];
  const receiver = await listenForWebhooks(webhooks);

  const call = async <T = Record<string, any>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResponse<T>> => {
    const response = await fetch(`${system.apiUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${org.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  };

  const registered = await call('POST', '/webhook_endpoints', {
    webhook_endpoint: { webhook_url: receiver.url, signature_algo: 'hmac' },
  });
  if (registered.status !== 200) throw new Error(`webhook endpoint: ${JSON.stringify(registered.body)}`);

  const stripeClients = new Map<string, Stripe>();
  const controls = emulatorControls(system.stripeApiBase);
  return {
    system,
    database,
    organizationId: org.organizationId,
    controls,
    webhooks,
    call,
    stripe(secretKey) {
      let client = stripeClients.get(secretKey);
      if (!client) {
        client = new Stripe(secretKey, {
          host: emulatorUrl.hostname,
          port: Number(emulatorUrl.port),
          protocol: 'http',
          telemetry: false,
          maxNetworkRetries: 0,
        });
        stripeClients.set(secretKey, client);
      }
      return client;
    },
    async connect(input = {}) {
      const secretKey = newStripeKey();
      await controls.registerKey(secretKey);
      const code = input.code ?? `stripe_${randomBytes(4).toString('hex')}`;
      const created = await call('POST', '/stripe_connections', {
        stripe_connection: {
          name: `Stripe ${code}`,
          code,
          secret_key: secretKey,
          ...(input.successRedirectUrl === undefined
            ? {}
            : { success_redirect_url: input.successRedirectUrl }),
        },
      });
      if (created.status !== 200) throw new Error(`connect: ${JSON.stringify(created.body)}`);
      return { code, secretKey, connection: created.body.stripe_connection };
    },
    async idle() {
      const names = [
        'stripe.create_customer',
        'stripe.update_customer',
        'stripe.checkout_link',
        'payment.collect',
        'stripe.process_event',
      ];
      try {
        await system.database.queue.drain(names, 45_000);
      } catch (error) {
        const pending = await database.orm.em
          .getConnection()
          .execute(
            `select name, state, retry_count, start_after, output from "${database.schema}_jobs".job where name = any(?) and state in ('created', 'retry', 'active')`,
            [names],
          );
        throw new Error(`${(error as Error).message}: ${JSON.stringify(pending)}`);
      }
    },
    async stop() {
      await system.stop();
      await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
      await database.dispose();
    },
  };
}

function listenForWebhooks(into: ReceivedWebhook[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      into.push({ type: body.webhook_type, body, headers: req.headers });
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lago` });
    });
  });
}

/** Polls `check` until it returns a value (not undefined/false) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The session id at the end of a checkout URL. */
export function sessionIdOf(checkoutUrl: string): string {
  const id = new URL(checkoutUrl).pathname.split('/').pop();
  if (!id?.startsWith('cs_')) throw new Error(`not a checkout URL: ${checkoutUrl}`);
  return id;
}

/** Submits the hosted checkout page as a customer's browser would (a plain form POST). */
export async function submitCheckout(
  checkoutUrl: string,
  instrument: string,
): Promise<{ status: number; location: string | null; html: string }> {
  const page = await fetch(checkoutUrl);
  const html = await page.text();
  const form = /<form\b[^>]*>/i.exec(html)?.[0];
  if (!form) throw new Error(`no form on the checkout page (${page.status})`);
  // A form without an action posts back to the page itself.
  const action = /\baction="([^"]*)"/i.exec(form)?.[1] || checkoutUrl;
  const response = await fetch(new URL(action.replaceAll('&amp;', '&'), checkoutUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ instrument }).toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

/** A customer linked to Stripe with a card saved through the checkout page, ready to be charged. */
export async function customerWithSavedMethod(
  guide: Guide,
  input: {
    externalId: string;
    currency: string;
    code: string;
    methods?: string[];
    instrument?: string;
  },
): Promise<{ customer: Record<string, any>; providerCustomerId: string }> {
  const created = await guide.call('POST', '/customers', {
    customer: {
      external_id: input.externalId,
      name: `Customer ${input.externalId}`,
      email: `${input.externalId}@example.test`,
      currency: input.currency,
      billing_configuration: {
        payment_provider: 'stripe',
        payment_provider_code: input.code,
        sync_with_provider: true,
        provider_payment_methods: input.methods ?? ['card'],
      },
    },
  });
  if (created.status !== 200) throw new Error(`customer: ${JSON.stringify(created.body)}`);
  const providerCustomerId = await eventually(async () => {
    const got = await guide.call('GET', `/customers/${input.externalId}`);
    return (
      (got.body.customer.billing_configuration.provider_customer_id as string | null | undefined) ?? undefined
    );
  }, 'the Stripe customer');
  const link = await guide.call('POST', `/customers/${input.externalId}/checkout_url`);
  const saved = await submitCheckout(link.body.customer.checkout_url, input.instrument ?? 'card_visa');
  if (saved.status >= 400) throw new Error(`checkout: ${saved.status}`);
  await eventually(async () => {
    const methods = await guide.call('GET', `/customers/${input.externalId}/payment_methods`);
    return methods.body.payment_methods.some((m: { is_default: boolean }) => m.is_default);
  }, 'the saved payment method to become the default');
  return { customer: created.body.customer, providerCustomerId };
}

/** An add-on and a one-off invoice for it. */
export async function oneOffInvoice(
  guide: Guide,
  input: { externalId: string; currency: string; amountCents: number },
): Promise<Record<string, any>> {
  const code = `fee_${randomBytes(4).toString('hex')}`;
  const addOn = await guide.call('POST', '/add_ons', {
    add_on: { name: 'Setup fee', code, amount_cents: input.amountCents, amount_currency: input.currency },
  });
  if (addOn.status !== 200) throw new Error(`add-on: ${JSON.stringify(addOn.body)}`);
  const invoice = await guide.call('POST', '/invoices', {
    invoice: {
      external_customer_id: input.externalId,
      currency: input.currency,
      fees: [{ add_on_code: code }],
    },
  });
  if (invoice.status !== 200) throw new Error(`invoice: ${JSON.stringify(invoice.body)}`);
  return invoice.body.invoice;
}
