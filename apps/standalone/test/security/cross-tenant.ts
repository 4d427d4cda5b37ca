/**
 * Organization B's key against A's ids, codes and keys, on every operation of the OpenAPI
 * document. The table says what each operation is tried with; an operation of the document
 * without an entry (a new route) fails the run, as does an entry the document no longer has.
 */
import { randomBytes } from 'node:crypto';
import { changedTables, type Digest, organizationDigest } from './digest.js';
import type { Exchange, SecuritySystem } from './system.js';
import type { TenantA, TenantB } from './tenants.js';

export type Expectation =
  /** 404 `<resource>_not_found`, nothing written anywhere. */
  | 'not_found'
  /** The body names an object of A: Lago's refusal (404 `…_not_found` or 422), nothing written. */
  | 'refused'
  /** B's own request on B's own data (it may reuse A's codes or keys): 200, nothing of A changed. */
  | 'own';

export interface Case {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly expect: Expectation;
  /** Run after every other case: it gives B something under one of A's codes or keys. */
  readonly last?: boolean;
}

export type Operation = `${'get' | 'post' | 'put' | 'delete' | 'patch'} ${string}`;

const hex = () => randomBytes(4).toString('hex');

/** One case per value, the same expectation and body. */
const each = (name: string, values: string[], rest: Omit<Case, 'params'>): Case[] =>
  values.map((value) => ({ ...rest, params: { [name]: value } }));

export function crossTenantCases(a: TenantA, b: TenantB): Record<Operation, Case[]> {
  const customers = [a.cardCustomer.externalId, a.plainCustomer.externalId];
  const invoices = [a.paidInvoice.id, a.openInvoice.id];
  const idem = (route: string) => {
    const used = a.idempotent[route];
    if (!used) throw new Error(`A made no ${route} with an Idempotency-Key`);
    return { body: used.body, headers: { 'idempotency-key': used.key } };
  };
  const search = (keys: Record<string, string[]>): Case[] =>
    Object.entries(keys).flatMap(([key, values]) =>
      values.map((value) => ({ query: { [key]: value }, expect: 'own' as const })),
    );
  return {
    'post /stripe_connections': [
      {
        // A's Idempotency-Key and code with B's own Stripe key: a connection of B's own.
        body: {
          stripe_connection: {
            name: 'Bravo second account',
            code: a.connection.code,
            secret_key: `sk_test_bravo_${randomBytes(12).toString('hex')}`,
          },
        },
        headers: idem('POST /stripe_connections').headers,
        expect: 'own',
        last: true,
      },
    ],
    'get /stripe_connections': [{ expect: 'own' }],
    'get /stripe_connections/{lago_id}': each('lago_id', [a.connection.id], { expect: 'not_found' }),
    'put /stripe_connections/{lago_id}': each('lago_id', [a.connection.id], {
      body: { stripe_connection: { name: 'Bravo took this', success_redirect_url: 'https://bravo.test/ok' } },
      expect: 'not_found',
    }),
    'delete /stripe_connections/{lago_id}': each('lago_id', [a.connection.id], { expect: 'not_found' }),

    'post /customers': [
      { ...idem('POST /customers'), expect: 'refused' },
      {
        body: {
          customer: {
            external_id: `bravo-${hex()}`,
            billing_configuration: {
              payment_provider: 'stripe',
              payment_provider_code: a.connection.code,
              sync_with_provider: true,
            },
          },
        },
        expect: 'refused',
      },
      {
        body: { customer: { external_id: a.plainCustomer.externalId, name: 'Bravo namesake' } },
        expect: 'own',
        last: true,
      },
    ],
    'get /customers': [
      { expect: 'own' },
      ...search({
        external_id: customers,
        search_term: [a.cardCustomer.email, a.cardCustomer.name, 'alpha'],
      }),
    ],
    'get /customers/{external_customer_id}': each('external_customer_id', customers, { expect: 'not_found' }),
    'delete /customers/{external_customer_id}': each('external_customer_id', customers, {
      expect: 'not_found',
    }),
    'post /customers/{external_customer_id}/checkout_url': each('external_customer_id', customers, {
      expect: 'not_found',
    }),
    'get /customers/{external_customer_id}/payment_methods': each('external_customer_id', customers, {
      expect: 'not_found',
    }),
    'put /customers/{external_customer_id}/payment_methods/{lago_id}/set_as_default': [
      {
        params: { external_customer_id: a.cardCustomer.externalId, lago_id: a.paymentMethod.id },
        expect: 'not_found',
      },
      {
        params: { external_customer_id: b.customer.externalId, lago_id: a.paymentMethod.id },
        expect: 'not_found',
      },
    ],
    'get /customers/{external_customer_id}/invoices': each('external_customer_id', customers, {
      expect: 'not_found',
    }),
    'get /customers/{external_customer_id}/payments': each('external_customer_id', customers, {
      expect: 'not_found',
    }),
    'get /customers/{external_customer_id}/credit_notes': each('external_customer_id', customers, {
      expect: 'not_found',
    }),
    'get /customers/{external_customer_id}/payment_requests': each('external_customer_id', customers, {
      expect: 'not_found',
    }),

    'post /add_ons': [{ ...idem('POST /add_ons'), expect: 'own', last: true }],
    'get /add_ons': [{ expect: 'own' }],
    'get /add_ons/{code}': each('code', [a.addOn.code], { expect: 'not_found' }),
    'put /add_ons/{code}': each('code', [a.addOn.code], {
      body: { add_on: { name: 'Bravo rename', amount_cents: 1 } },
      expect: 'not_found',
    }),
    'delete /add_ons/{code}': each('code', [a.addOn.code], { expect: 'not_found' }),

    'post /invoices': [
      { ...idem('POST /invoices'), expect: 'not_found' },
      {
        body: {
          invoice: { external_customer_id: b.customer.externalId, fees: [{ add_on_code: a.addOn.code }] },
        },
        expect: 'refused',
      },
    ],
    'get /invoices': [
      { expect: 'own' },
      ...search({
        external_customer_id: customers,
        customer_external_id: customers,
        search_term: [a.paidInvoice.number, a.cardCustomer.email, a.cardCustomer.name],
      }),
    ],
    'get /invoices/{lago_id}': each('lago_id', invoices, { expect: 'not_found' }),
    'put /invoices/{lago_id}': each('lago_id', invoices, {
      body: { invoice: { payment_status: 'succeeded', metadata: [{ key: 'bravo', value: 'was here' }] } },
      expect: 'not_found',
    }),
    'post /invoices/{lago_id}/void': each('lago_id', invoices, { expect: 'not_found' }),
    'post /invoices/{lago_id}/retry_payment': [
      ...each('lago_id', invoices, { expect: 'not_found' }),
      {
        // B's own invoice: the retry runs on B's customer; the method named is not used for it.
        params: { lago_id: b.invoice.id },
        body: { payment_method: { payment_method_type: 'provider', payment_method_id: a.paymentMethod.id } },
        expect: 'own',
      },
    ],
    'post /invoices/{lago_id}/lose_dispute': each('lago_id', invoices, { expect: 'not_found' }),
    'post /invoices/{lago_id}/payment_url': each('lago_id', invoices, { expect: 'not_found' }),

    'post /payments': [
      { ...idem('POST /payments'), expect: 'not_found' },
      {
        body: { payment: { invoice_id: a.paidInvoice.id, amount_cents: 100, reference: 'bravo' } },
        expect: 'not_found',
      },
    ],
    'get /payments': [
      { expect: 'own' },
      ...search({ invoice_id: invoices, external_customer_id: customers }),
    ],
    'get /payments/{lago_id}': each('lago_id', [a.payment.id, a.manualPayment.id], { expect: 'not_found' }),

    'post /payment_requests': [
      { ...idem('POST /payment_requests'), expect: 'not_found' },
      {
        // B's own customer with A's invoice: not one of B's invoices.
        body: {
          payment_request: {
            external_customer_id: b.customer.externalId,
            lago_invoice_ids: [a.openInvoice.id],
          },
        },
        expect: 'not_found',
      },
    ],
    'get /payment_requests': [{ expect: 'own' }, ...search({ external_customer_id: customers })],
    'get /payment_requests/{lago_id}': each('lago_id', [a.paymentRequest.id], { expect: 'not_found' }),

    'post /credit_notes': [
      { ...idem('POST /credit_notes'), expect: 'not_found' },
      {
        body: {
          credit_note: {
            invoice_id: b.invoice.id,
            credit_amount_cents: 100,
            items: [{ fee_id: a.paidInvoice.feeId, amount_cents: 100 }],
          },
        },
        expect: 'refused',
      },
    ],
    'get /credit_notes': [
      { expect: 'own' },
      ...search({
        external_customer_id: customers,
        search_term: [a.creditNote.number, a.cardCustomer.email],
        invoice_number: [a.paidInvoice.number],
      }),
    ],
    'get /credit_notes/{lago_id}': each('lago_id', [a.creditNote.id], { expect: 'not_found' }),
    'put /credit_notes/{lago_id}/void': each('lago_id', [a.creditNote.id], { expect: 'not_found' }),

    'post /webhook_endpoints': [{ ...idem('POST /webhook_endpoints'), expect: 'own', last: true }],
    'get /webhook_endpoints': [{ expect: 'own' }],
    'get /webhook_endpoints/{lago_id}': each('lago_id', [a.endpoint.id], { expect: 'not_found' }),
    'put /webhook_endpoints/{lago_id}': each('lago_id', [a.endpoint.id], {
      body: { webhook_endpoint: { webhook_url: 'https://bravo.test/stolen' } },
      expect: 'not_found',
    }),
    'delete /webhook_endpoints/{lago_id}': each('lago_id', [a.endpoint.id], { expect: 'not_found' }),
    'get /webhook_deliveries': [
      { expect: 'own' },
      ...search({ webhook_endpoint_id: [a.endpoint.id], webhook_id: [a.webhookEventId] }),
    ],
    'post /webhooks/{lago_id}/retry': each('lago_id', [a.webhookEventId, a.deliveryId], {
      expect: 'not_found',
    }),
    'get /webhooks/public_key': [{ expect: 'own' }],
    'get /webhooks/json_public_key': [{ expect: 'own' }],

    'get /organizations': [{ expect: 'own' }],
    'put /organizations': [
      { body: { organization: { webhook_url: 'https://bravo.test/org-hook' } }, expect: 'own' },
    ],
    'get /organizations/hmac_key': [{ expect: 'own' }],
    'post /organizations/hmac_key/rotate': [{ expect: 'own' }],
  };
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, unknown>>;
}

export function documentedOperations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
      .map((m) => `${m} ${path}` as Operation),
  );
}

export function pathOf(operation: Operation, params: Record<string, string> = {}): string {
  const template = operation.slice(operation.indexOf(' ') + 1);
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operation}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return path;
}

/** A's values in a response that B's request did not itself contain. */
export function leakedMarkers(markers: Map<string, string>, exchange: Exchange): string[] {
  const seen = `${exchange.text}\n${exchange.headers}`;
  return [...markers]
    .filter(([, value]) => value.length >= 6 && seen.includes(value) && !exchange.request.includes(value))
    .map(([name]) => name);
}

/** B's own bookkeeping of its requests: the key's last use and its Idempotency-Key records. */
const B_BOOKKEEPING = new Set(['api_keys', 'api_idempotency_records']);

export interface MatrixResult {
  readonly operations: number;
  readonly requests: number;
  readonly leaks: string[];
  readonly problems: string[];
}

export async function runMatrix(
  s: SecuritySystem,
  a: TenantA,
  b: TenantB,
  operations: readonly Operation[],
): Promise<MatrixResult> {
  const table = crossTenantCases(a, b);
  const problems: string[] = [];
  const leaks: string[] = [];
  const documented = new Set(operations);
  for (const op of operations) {
    if (!table[op]?.length)
      problems.push(`${op}: in the OpenAPI document but not tried (add it to the table)`);
  }
  for (const op of Object.keys(table) as Operation[]) {
    if (!documented.has(op)) problems.push(`${op}: tried but not in the OpenAPI document`);
  }

  const runs = operations.flatMap((op) => (table[op] ?? []).map((c) => ({ op, c })));
  const ordered = [...runs.filter((r) => !r.c.last), ...runs.filter((r) => r.c.last)];

  // The ids are A's and real: A's own key reads each of them.
  for (const { op, c } of ordered) {
    if (!op.startsWith('get ') || c.expect !== 'not_found') continue;
    const own = await s.call(a.org.apiKey, 'GET', pathOf(op, c.params));
    if (own.status !== 200)
      problems.push(`control: A cannot read its own ${pathOf(op, c.params)}: ${own.status}`);
  }

  const aBefore = await organizationDigest(s.database, a.org.organizationId);
  let bBefore: Digest = await organizationDigest(s.database, b.org.organizationId);
  for (const { op, c } of ordered) {
    const method = op.slice(0, op.indexOf(' ')).toUpperCase();
    const query = c.query ? `?${new URLSearchParams(c.query)}` : '';
    const path = `${pathOf(op, c.params)}${query}`;
    const reply = await s.call(b.org.apiKey, method, path, {
      ...(c.body === undefined ? {} : { body: c.body }),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    const exchange = s.exchanges.at(-1);
    if (!exchange) throw new Error('no exchange recorded');
    const where = `${method} ${path}${c.body === undefined ? '' : ` ${JSON.stringify(c.body)}`}`;

    const leaked = leakedMarkers(a.markers, exchange);
    if (leaked.length > 0) leaks.push(`${where} -> ${reply.status} shows A's ${leaked.join(', ')}`);

    const status = reply.status;
    const code: unknown = reply.json?.code;
    if (c.expect === 'not_found') {
      if (status !== 404 || typeof code !== 'string' || !code.endsWith('_not_found'))
        problems.push(`${where}: expected 404 …_not_found, got ${status} ${reply.text.slice(0, 300)}`);
    } else if (c.expect === 'refused') {
      if (status !== 404 && status !== 422)
        problems.push(`${where}: expected 404 or 422, got ${status} ${reply.text.slice(0, 300)}`);
    } else if (status !== 200) {
      problems.push(`${where}: expected 200 (B's own data), got ${status} ${reply.text.slice(0, 300)}`);
    }
    if (c.expect !== 'own' && status >= 200 && status < 300) leaks.push(`${where}: B's key was obeyed`);

    const aAfter = await organizationDigest(s.database, a.org.organizationId);
    const aChanged = changedTables(aBefore, aAfter);
    if (aChanged.length > 0) leaks.push(`${where}: wrote A's ${aChanged.join(', ')}`);
    const bAfter = await organizationDigest(s.database, b.org.organizationId);
    if (c.expect !== 'own') {
      const bChanged = changedTables(bBefore, bAfter).filter((t) => !B_BOOKKEEPING.has(t));
      if (bChanged.length > 0) problems.push(`${where}: refused but wrote B's ${bChanged.join(', ')}`);
    }
    if (c.expect === 'own') {
      // What B's own request queued runs before the next case takes B's picture.
      await s.idle({ deliveries: false });
      bBefore = await organizationDigest(s.database, b.org.organizationId);
    } else bBefore = bAfter;
  }

  // Whatever the requests queued has run: still nothing of A changed.
  await s.idle({ deliveries: false });
  const aFinal = changedTables(aBefore, await organizationDigest(s.database, a.org.organizationId));
  if (aFinal.length > 0) leaks.push(`after the queued jobs ran: A's ${aFinal.join(', ')} changed`);

  return {
    operations: new Set(ordered.map((r) => r.op)).size,
    requests: ordered.length,
    leaks,
    problems,
  };
}
