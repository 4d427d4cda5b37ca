import { createCreditNote } from '@payrail/domain';
import { startReceiver, verifyHmacSignature, verifyJwtSignature } from '@payrail/lago-wire/testing';
import { uniqueKey } from '@payrail/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithMethod, oneOffInvoice, query, type System, startWorkerSystem } from './harness.js';

let system: System;
let apiKey: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const FAST_RETRIES = [
  {
    name: 'webhook.deliver',
    retryLimit: 5,
    retryDelaySeconds: 1,
    retryDelayMaxSeconds: 1,
    expireInSeconds: 60,
  },
];

beforeAll(async () => {
  system = await startWorkerSystem({ queues: FAST_RETRIES, worker: { webhookAttempts: 2 } });
  receiver = await startReceiver((path) => (path === '/down' ? 500 : 200));
  apiKey = (await system.db.organizations.createApiKey(system.organizationId)).key;
});
afterAll(async () => {
  await receiver?.close();
  await system?.stop();
});

async function callApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${system.apiUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

describe('outgoing webhooks, as a merchant receives them', () => {
  it('signs every event both ways, verifiably with the API public key and the organization HMAC key', async () => {
    const endpoint = async (path: string, algo: string, eventTypes: string[] | null = null) =>
      (
        await callApi<{ webhook_endpoint: { lago_id: string } }>('POST', '/webhook_endpoints', {
          webhook_endpoint: {
            webhook_url: `${receiver.url}${path}`,
            signature_algo: algo,
            event_types: eventTypes,
          },
        })
      ).webhook_endpoint.lago_id;
    const jwtEndpoint = await endpoint('/jwt', 'jwt');
    const hmacEndpoint = await endpoint('/hmac', 'hmac');
    await endpoint('/payments-only', 'jwt', ['invoice.payment_status_updated']);

    const publicKeyBase64 = await callApi<string>('GET', '/webhooks/public_key');
    const publicKeyPem = Buffer.from(publicKeyBase64, 'base64').toString('utf8');
    expect(publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const { hmac_key: hmacKey } = await callApi<{ hmac_key: string }>('GET', '/organizations/hmac_key');

    await customerWithMethod(system, 'cust-out', {
      currency: 'USD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    const invoice = await oneOffInvoice(system, 'cust-out', 1_999, 'USD');
    await system.settle();

    const paidInvoice = await system.ctx.uow.run(system.organizationId, (tx) =>
      tx.invoices.findById(invoice.id),
    );
    const note = await createCreditNote({
      ctx: system.ctx,
      input: {
        organizationId: system.organizationId,
        invoiceId: invoice.id,
        items: [{ feeId: paidInvoice?.fees[0]?.id ?? '', amountCents: 500 }],
        reason: 'other',
        creditAmountCents: 500,
        refundAmountCents: 0,
      },
    });
    if (!note.ok) throw new Error(note.error.message);
    await system.settle();

    const jwt = receiver.received.filter((r) => r.path === '/jwt');
    const hmac = receiver.received.filter((r) => r.path === '/hmac');
    const types = jwt.map((r) => JSON.parse(r.body).webhook_type);
    for (const expected of [
      'customer.payment_provider_created',
      'customer.checkout_url_generated',
      'invoice.payment_status_updated',
      'payment.succeeded',
      'credit_note.created',
    ]) {
      expect(types).toContain(expected);
    }
    expect(hmac.map((r) => JSON.parse(r.body).webhook_type).sort()).toEqual([...types].sort());

    for (const r of jwt) {
      expect(r.headers['x-lago-signature-algorithm']).toBe('jwt');
      expect(
        verifyJwtSignature(String(r.headers['x-lago-signature']), publicKeyPem, r.body, system.apiUrl),
      ).toBe(true);
    }
    for (const r of hmac) {
      expect(r.headers['x-lago-signature-algorithm']).toBe('hmac');
      expect(verifyHmacSignature(String(r.headers['x-lago-signature']), hmacKey, r.body)).toBe(true);
    }

    const paid = jwt
      .map((r) => JSON.parse(r.body))
      .find((p) => p.webhook_type === 'invoice.payment_status_updated');
    expect(paid).toMatchObject({
      object_type: 'invoice',
      organization_id: system.organizationId,
      invoice: { lago_id: invoice.id, payment_status: 'succeeded', customer: { external_id: 'cust-out' } },
    });
    const bodies = jwt.map((r) => JSON.parse(r.body));
    expect(bodies.find((p) => p.webhook_type === 'payment.succeeded')).toMatchObject({
      object_type: 'payment',
      payment: { invoice_ids: [invoice.id], amount_cents: 1_999, amount_currency: 'USD' },
    });
    expect(bodies.find((p) => p.webhook_type === 'credit_note.created')).toMatchObject({
      object_type: 'credit_note',
      credit_note: { lago_id: note.value.id, lago_invoice_id: invoice.id },
    });
    expect(bodies.find((p) => p.webhook_type === 'customer.checkout_url_generated')).toMatchObject({
      object_type: 'payment_provider_customer_checkout_url',
      payment_provider_customer_checkout_url: {
        external_customer_id: 'cust-out',
        payment_provider: 'stripe',
      },
    });
    const eventId = (
      await query<{ id: string }>(
        system,
        "select id from $schema.webhook_events where webhook_type = 'invoice.payment_status_updated'",
      )
    )[0]?.id;
    expect(eventId).toBeDefined();
    const sent = jwt.find((r) => JSON.parse(r.body).webhook_type === 'invoice.payment_status_updated');
    expect(sent?.headers['x-lago-unique-key']).toBe(uniqueKey(eventId ?? '', jwtEndpoint));
    expect(uniqueKey(eventId ?? '', hmacEndpoint)).not.toBe(uniqueKey(eventId ?? '', jwtEndpoint));

    const filtered = receiver.received.filter((r) => r.path === '/payments-only');
    expect(filtered.map((r) => JSON.parse(r.body).webhook_type)).toEqual(['invoice.payment_status_updated']);

    const attempts = await system.db.webhooks.listAttempts(eventId ?? '');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((a) => a.succeeded && a.httpStatus === 200 && a.attempt === 1)).toBe(true);
  });

  it('retries a failing endpoint up to the configured attempts and records each one', async () => {
    await callApi('POST', '/webhook_endpoints', {
      webhook_endpoint: { webhook_url: `${receiver.url}/down`, signature_algo: 'hmac', event_types: null },
    });
    await customerWithMethod(system, 'cust-down', {
      currency: 'USD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    await system.settle();

    const down = receiver.received.filter((r) => r.path === '/down');
    const byEvent = new Map<string, number>();
    for (const r of down) {
      const key = String(r.headers['x-lago-unique-key']);
      byEvent.set(key, (byEvent.get(key) ?? 0) + 1);
    }
    expect(byEvent.size).toBeGreaterThan(0);
    expect([...byEvent.values()].every((n) => n === 2)).toBe(true);

    const rows = await query<{ attempt: number; succeeded: boolean; http_status: number }>(
      system,
      `select d.attempt, d.succeeded, d.http_status from $schema.webhook_deliveries d
         join $schema.webhook_endpoints e on e.id = d.endpoint_id where e.webhook_url like '%/down'
         order by d.attempted_at`,
    );
    expect(rows).toHaveLength(byEvent.size * 2);
    expect(rows.every((r) => !r.succeeded && r.http_status === 500)).toBe(true);
    expect(rows.map((r) => r.attempt).sort()).toEqual(
      [...Array(byEvent.size).fill(1), ...Array(byEvent.size).fill(2)].sort(),
    );
    // The other endpoints got each of those events exactly once.
    const jwtKeys = receiver.received
      .filter((r) => r.path === '/jwt')
      .map((r) => r.headers['x-lago-unique-key']);
    expect(new Set(jwtKeys).size).toBe(jwtKeys.length);
  });

  it('redelivers an event the merchant asks for, within its own organization only', async () => {
    const [event] = await query<{ id: string; webhook_type: string }>(
      system,
      `select e.id, e.webhook_type from $schema.webhook_events e
         where exists (select 1 from $schema.webhook_deliveries d
                        join $schema.webhook_endpoints p on p.id = d.endpoint_id
                       where d.event_id = e.id and p.webhook_url like '%/hmac' and d.succeeded)
         order by e.created_at limit 1`,
    );
    if (!event) throw new Error('no delivered event to redeliver');
    const retry = (id: string, key = apiKey) =>
      fetch(`${system.apiUrl}/api/v1/webhooks/${id}/retry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      });
    const endpoints = await query<{ id: string; webhook_url: string }>(
      system,
      'select id, webhook_url from $schema.webhook_endpoints',
    );
    const hmacEndpoint = endpoints.find((e) => e.webhook_url.endsWith('/hmac'));
    const key = uniqueKey(event.id, hmacEndpoint?.id ?? '');
    const copies = () =>
      receiver.received.filter((r) => r.path === '/hmac' && r.headers['x-lago-unique-key'] === key);
    expect(copies()).toHaveLength(1);

    const other = await system.db.organizations.create({ name: 'Other', documentNumberPrefix: 'OTH' });
    const otherKey = (await system.db.organizations.createApiKey(other.id)).key;
    const foreign = await retry(event.id, otherKey);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ status: 404, code: 'webhook_not_found' });
    expect((await retry('not-a-uuid')).status).toBe(404);
    expect((await retry(crypto.randomUUID())).status).toBe(404);

    const queued = await retry(event.id);
    expect(queued.status).toBe(200);
    expect(await queued.json()).toMatchObject({
      webhook: { lago_id: event.id, webhook_type: event.webhook_type, status: 'pending' },
    });
    await system.settle();
    expect(copies()).toHaveLength(2);

    const spec = (await (await fetch(`${system.apiUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: unknown }>;
    };
    expect(spec.paths['/webhooks/{lago_id}/retry']?.post).toBeDefined();
  });
});
