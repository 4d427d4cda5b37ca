/**
 * Organization A gets one of every resource the API has, through the API and Stripe's hosted
 * checkout as a merchant would; organization B gets a few of its own. Every value of A that B must
 * never see is collected in `markers`.
 */
import { randomBytes } from 'node:crypto';
import { databaseConnectionSource } from '@payrail/webhooks';
import { eventually, submitCheckout } from '../guide/harness.js';
import type { Organization, Reply, SecuritySystem } from './system.js';

export interface TenantA {
  readonly org: Organization;
  readonly connection: { id: string; code: string; name: string; secretKey: string };
  readonly endpoint: { id: string; url: string; name: string };
  readonly addOn: { id: string; code: string; name: string };
  readonly cardCustomer: { id: string; externalId: string; name: string; email: string; cus: string };
  readonly plainCustomer: { id: string; externalId: string; name: string; email: string };
  readonly paymentMethod: { id: string; pm: string };
  /** Paid through Stripe, then partly refunded by a credit note. */
  readonly paidInvoice: { id: string; number: string; feeId: string };
  /** Not collected (no provider), partly paid by hand, with metadata. */
  readonly openInvoice: { id: string; number: string; feeId: string };
  readonly payment: { id: string; pi: string };
  readonly manualPayment: { id: string; reference: string };
  readonly creditNote: { id: string; number: string; re: string };
  /** The open invoice asked for again (its customer has no provider, so the request fails). */
  readonly paymentRequest: { id: string; email: string };
  readonly webhookEventId: string;
  readonly deliveryId: string;
  /** The body and Idempotency-Key of each of A's creating requests, by route. */
  readonly idempotent: Record<string, { key: string; body: unknown }>;
  /** Every value of A that must not reach B, by what it is. */
  readonly markers: Map<string, string>;
}

export interface TenantB {
  readonly org: Organization;
  readonly connection: { id: string; code: string; secretKey: string; signingSecret: string };
  readonly addOn: { code: string };
  readonly customer: { id: string; externalId: string };
  readonly invoice: { id: string; feeId: string };
}

function ok(reply: Reply, what: string): any {
  if (reply.status !== 200) throw new Error(`${what}: ${reply.status} ${reply.text}`);
  return reply.json;
}

const hex = () => randomBytes(4).toString('hex');

async function signingSecret(s: SecuritySystem, organizationId: string, code: string): Promise<string> {
  const found = await databaseConnectionSource(s.database).find(organizationId, code);
  if (!found) throw new Error(`no connection ${code}`);
  return found.signingSecret.reveal();
}

export async function seedTenantA(s: SecuritySystem): Promise<TenantA> {
  const key = s.a.apiKey;
  const idempotent: Record<string, { key: string; body: unknown }> = {};
  const create = async (route: string, path: string, body: unknown) => {
    const idempotencyKey = `alpha-idem-${hex()}`;
    idempotent[route] = { key: idempotencyKey, body };
    return ok(
      await s.call(key, 'POST', path, { body, headers: { 'idempotency-key': idempotencyKey } }),
      route,
    );
  };

  const secretKey = `sk_test_alpha_${randomBytes(12).toString('hex')}`;
  const connectionCode = `alpha_stripe_${hex()}`;
  const connectionName = `Alpha Stripe Account ${hex()}`;
  const connection = (
    await create('POST /stripe_connections', '/stripe_connections', {
      stripe_connection: { name: connectionName, code: connectionCode, secret_key: secretKey },
    })
  ).stripe_connection;
  s.secrets.set('Stripe key of A', secretKey);
  s.secrets.set('webhook secret of A', await signingSecret(s, s.a.organizationId, connectionCode));

  const endpointName = `Alpha Hooks ${hex()}`;
  const endpoint = (
    await create('POST /webhook_endpoints', '/webhook_endpoints', {
      webhook_endpoint: { webhook_url: s.a.receiverUrl, signature_algo: 'hmac', name: endpointName },
    })
  ).webhook_endpoint;

  const addOnCode = `alpha_fee_${hex()}`;
  const addOnName = `Alpha Onboarding Fee ${hex()}`;
  const addOn = (
    await create('POST /add_ons', '/add_ons', {
      add_on: { name: addOnName, code: addOnCode, amount_cents: 12_345, amount_currency: 'USD' },
    })
  ).add_on;

  const card = { externalId: `alpha-card-${hex()}`, name: `Alpha Carded Person ${hex()}` };
  const cardEmail = `alpha.card.${hex()}@alpha-private.test`;
  const cardCustomer = (
    await create('POST /customers', '/customers', {
      customer: {
        external_id: card.externalId,
        name: card.name,
        email: cardEmail,
        currency: 'USD',
        billing_configuration: {
          payment_provider: 'stripe',
          payment_provider_code: connectionCode,
          sync_with_provider: true,
          provider_payment_methods: ['card'],
        },
      },
    })
  ).customer;
  const cus = await eventually(async () => {
    const got = ok(await s.call(key, 'GET', `/customers/${card.externalId}`), 'customer');
    return (got.customer.billing_configuration.provider_customer_id as string | null) ?? undefined;
  }, "A's Stripe customer");
  const link = ok(await s.call(key, 'POST', `/customers/${card.externalId}/checkout_url`), 'checkout');
  const saved = await submitCheckout(link.customer.checkout_url, 'card_visa');
  if (saved.status >= 400) throw new Error(`checkout: ${saved.status}`);
  const method = await eventually(async () => {
    const list = ok(await s.call(key, 'GET', `/customers/${card.externalId}/payment_methods`), 'methods');
    return list.payment_methods.find((m: { is_default: boolean }) => m.is_default);
  }, "A's default payment method");

  const plain = { externalId: `alpha-plain-${hex()}`, name: `Alpha Plain Person ${hex()}` };
  const plainEmail = `alpha.plain.${hex()}@alpha-private.test`;
  const plainCustomer = ok(
    await s.call(key, 'POST', '/customers', {
      body: {
        customer: { external_id: plain.externalId, name: plain.name, email: plainEmail, currency: 'USD' },
      },
    }),
    'plain customer',
  ).customer;

  const paid = (
    await create('POST /invoices', '/invoices', {
      invoice: { external_customer_id: card.externalId, currency: 'USD', fees: [{ add_on_code: addOnCode }] },
    })
  ).invoice;
  await eventually(async () => {
    const got = ok(await s.call(key, 'GET', `/invoices/${paid.lago_id}`), 'invoice');
    return got.invoice.payment_status === 'succeeded';
  }, "A's invoice to be paid");
  const payment = ok(await s.call(key, 'GET', `/payments?invoice_id=${paid.lago_id}`), 'payments')
    .payments[0];

  const creditNoteDescription = `Alpha refund note ${hex()}`;
  const creditNote = (
    await create('POST /credit_notes', '/credit_notes', {
      credit_note: {
        invoice_id: paid.lago_id,
        reason: 'other',
        description: creditNoteDescription,
        refund_amount_cents: 1_000,
        items: [{ fee_id: paid.fees[0].lago_id, amount_cents: 1_000 }],
      },
    })
  ).credit_note;
  await eventually(async () => {
    const got = ok(await s.call(key, 'GET', `/credit_notes/${creditNote.lago_id}`), 'credit note');
    return got.credit_note.refund_status === 'succeeded';
  }, "A's refund");
  const refunds = await s.stripe(secretKey).refunds.list({ payment_intent: payment.provider_payment_id });
  const re = refunds.data[0]?.id;
  if (!re) throw new Error('no refund at Stripe');

  const open = ok(
    await s.call(key, 'POST', '/invoices', {
      body: { invoice: { external_customer_id: plain.externalId, fees: [{ add_on_code: addOnCode }] } },
    }),
    'open invoice',
  ).invoice;
  const metadataValue = `alpha private metadata ${hex()}`;
  ok(
    await s.call(key, 'PUT', `/invoices/${open.lago_id}`, {
      body: { invoice: { metadata: [{ key: 'alpha_note', value: metadataValue }] } },
    }),
    'metadata',
  );
  const reference = `alpha-wire-${hex()}`;
  const manual = (
    await create('POST /payments', '/payments', {
      payment: { invoice_id: open.lago_id, amount_cents: 2_345, reference },
    })
  ).payment;
  const paymentRequestEmail = `alpha-dunning-${hex()}@alpha.test`;
  const paymentRequest = (
    await create('POST /payment_requests', '/payment_requests', {
      payment_request: {
        external_customer_id: plain.externalId,
        email: paymentRequestEmail,
        lago_invoice_ids: [open.lago_id],
      },
    })
  ).payment_request;

  await s.idle();
  const delivery = await eventually(async () => {
    const list = ok(await s.call(key, 'GET', '/webhook_deliveries'), 'deliveries');
    return list.webhook_deliveries[0];
  }, "A's webhook deliveries");
  const hmacKey = ok(await s.call(key, 'GET', '/organizations/hmac_key'), 'hmac').hmac_key;

  const a: Omit<TenantA, 'markers'> = {
    org: s.a,
    connection: { id: connection.lago_id, code: connectionCode, name: connectionName, secretKey },
    endpoint: { id: endpoint.lago_id, url: s.a.receiverUrl, name: endpointName },
    addOn: { id: addOn.lago_id, code: addOnCode, name: addOnName },
    cardCustomer: {
      id: cardCustomer.lago_id,
      externalId: card.externalId,
      name: card.name,
      email: cardEmail,
      cus,
    },
    plainCustomer: {
      id: plainCustomer.lago_id,
      externalId: plain.externalId,
      name: plain.name,
      email: plainEmail,
    },
    paymentMethod: { id: method.lago_id, pm: method.provider_method_id },
    paidInvoice: { id: paid.lago_id, number: paid.number, feeId: paid.fees[0].lago_id },
    openInvoice: { id: open.lago_id, number: open.number, feeId: open.fees[0].lago_id },
    payment: { id: payment.lago_id, pi: payment.provider_payment_id },
    manualPayment: { id: manual.lago_id, reference },
    creditNote: { id: creditNote.lago_id, number: creditNote.number, re },
    paymentRequest: { id: paymentRequest.lago_id, email: paymentRequestEmail },
    webhookEventId: delivery.lago_webhook_id,
    deliveryId: delivery.lago_id,
    idempotent,
  };
  const markers = new Map<string, string>();
  const collect = (prefix: string, value: unknown) => {
    if (typeof value === 'string') markers.set(prefix, value);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) if (k !== 'idempotent') collect(`${prefix}.${k}`, v);
  };
  collect('a', { ...a, org: { id: s.a.organizationId, name: s.a.name, apiKey: s.a.apiKey } });
  markers.set('a.hmacKey', hmacKey);
  markers.set('a.metadata', metadataValue);
  markers.set('a.creditNote.description', creditNoteDescription);
  markers.set('a.webhookSecret', s.secrets.get('webhook secret of A') ?? '');
  for (const key of Object.values(idempotent)) markers.set(`a.idempotencyKey.${key.key}`, key.key);
  return { ...a, markers };
}

export async function seedTenantB(s: SecuritySystem): Promise<TenantB> {
  const key = s.b.apiKey;
  const secretKey = `sk_test_bravo_${randomBytes(12).toString('hex')}`;
  const code = `bravo_stripe_${hex()}`;
  const connection = ok(
    await s.call(key, 'POST', '/stripe_connections', {
      body: { stripe_connection: { name: 'Bravo Stripe', code, secret_key: secretKey } },
    }),
    'B connection',
  ).stripe_connection;
  const signing = await signingSecret(s, s.b.organizationId, code);
  s.secrets.set('Stripe key of B', secretKey);
  s.secrets.set('webhook secret of B', signing);
  const addOnCode = `bravo_fee_${hex()}`;
  ok(
    await s.call(key, 'POST', '/add_ons', {
      body: { add_on: { name: 'Bravo fee', code: addOnCode, amount_cents: 500, amount_currency: 'USD' } },
    }),
    'B add-on',
  );
  const externalId = `bravo-customer-${hex()}`;
  const customer = ok(
    await s.call(key, 'POST', '/customers', {
      body: {
        customer: {
          external_id: externalId,
          name: 'Bravo Customer',
          currency: 'USD',
          billing_configuration: {
            payment_provider: 'stripe',
            payment_provider_code: code,
            sync_with_provider: true,
          },
        },
      },
    }),
    'B customer',
  ).customer;
  const invoice = ok(
    await s.call(key, 'POST', '/invoices', {
      body: { invoice: { external_customer_id: externalId, fees: [{ add_on_code: addOnCode }] } },
    }),
    'B invoice',
  ).invoice;
  // The system records the HMAC key it shows B among the secrets.
  ok(await s.call(key, 'GET', '/organizations/hmac_key'), 'hmac');
  return {
    org: s.b,
    connection: { id: connection.lago_id, code, secretKey, signingSecret: signing },
    addOn: { code: addOnCode },
    customer: { id: customer.lago_id, externalId },
    invoice: { id: invoice.lago_id, feeId: invoice.fees[0].lago_id },
  };
}
