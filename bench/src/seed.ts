/**
 * The benchmark's data. Three organizations:
 * - "Reads": one customer with 25 invoices, a Stripe connection receiving the ingest load;
 * - "Writes": 200 customers and an add-on, the target of `POST /invoices`;
 * - "Large": another tenant holding the stored volume (10,000 invoices and inbox events by
 *   default, 1,000,000 with `--large`), inserted with `generate_series` in a few statements.
 * The first two are created through the API itself, so their rows are the product's own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Secret } from '@payrail/domain';
import { type Database, loadSecretBox, openDatabase } from '@payrail/persistence';
import type pg from 'pg';

export interface Seeded {
  readonly reads: { readonly organizationId: string; readonly apiKey: string; readonly customer: string };
  readonly writes: { readonly apiKey: string; readonly customers: readonly string[]; readonly addOn: string };
  readonly ingest: {
    readonly organizationId: string;
    readonly connectionId: string;
    readonly code: string;
    readonly secret: string;
  };
  readonly large: { readonly organizationId: string; readonly connectionId: string };
}

const WRITE_CUSTOMERS = 200;
const READ_INVOICES = 25;
const LARGE_CUSTOMERS = 100;

async function connect(db: Database, organizationId: string, code: string, secret: string): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await db.unitOfWork.run(organizationId, (tx) =>
    tx.stripeConnections.insert({
      id,
      organizationId,
      name: 'Stripe',
      code,
      secretKey: new Secret('sk_test_bench'),
      successRedirectUrl: null,
      webhookEndpoint: { providerEndpointId: `we_${code}`, signingSecret: new Secret(secret) },
      version: 1,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

async function api(base: string, key: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200)
    throw new Error(`seeding ${path}: ${response.status} ${await response.text()}`);
}

export async function seed(options: {
  readonly databaseUrl: string;
  readonly encryptionKey: string;
  readonly apiUrl: string;
}): Promise<Seeded> {
  const secretBox = await loadSecretBox({ value: options.encryptionKey, production: true });
  const db = await openDatabase({
    url: options.databaseUrl,
    embedded: false,
    migrate: false,
    secretBox,
    queueMaintenance: false,
  });
  try {
    const reads = await db.organizations.create({ name: 'Reads', documentNumberPrefix: 'RDS' });
    const readKey = (await db.organizations.createApiKey(reads.id, 'bench')).key;
    const writes = await db.organizations.create({ name: 'Writes', documentNumberPrefix: 'WRT' });
    const writeKey = (await db.organizations.createApiKey(writes.id, 'bench')).key;
    const large = await db.organizations.create({ name: 'Large', documentNumberPrefix: 'LRG' });
    const largeKey = (await db.organizations.createApiKey(large.id, 'bench')).key;
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const connectionId = await connect(db, reads.id, 'stripe_bench', secret);
    const largeConnection = await connect(
      db,
      large.id,
      'stripe_large',
      `whsec_${randomBytes(24).toString('base64url')}`,
    );

    const fee = { name: 'Fee', code: 'fee', amount_cents: 1000, amount_currency: 'USD' };
    for (const key of [readKey, writeKey, largeKey])
      await api(options.apiUrl, key, '/add_ons', { add_on: fee });
    await api(options.apiUrl, readKey, '/customers', {
      customer: { external_id: 'bench', name: 'Bench', currency: 'USD', email: 'bench@example.com' },
    });
    for (let i = 0; i < READ_INVOICES; i++) {
      await api(options.apiUrl, readKey, '/invoices', {
        invoice: { external_customer_id: 'bench', skip_psp: true, fees: [{ add_on_code: 'fee' }] },
      });
    }
    const writeCustomers = Array.from({ length: WRITE_CUSTOMERS }, (_, i) => `w${i}`);
    for (const externalId of writeCustomers) {
      await api(options.apiUrl, writeKey, '/customers', {
        customer: { external_id: externalId, name: `Writer ${externalId}`, currency: 'USD' },
      });
    }
    for (let i = 0; i < LARGE_CUSTOMERS; i++) {
      await api(options.apiUrl, largeKey, '/customers', {
        customer: { external_id: `l${i}`, name: `Large ${i}`, currency: 'USD' },
      });
    }
    return {
      reads: { organizationId: reads.id, apiKey: readKey, customer: 'bench' },
      writes: { apiKey: writeKey, customers: writeCustomers, addOn: 'fee' },
      ingest: { organizationId: reads.id, connectionId, code: 'stripe_bench', secret },
      large: { organizationId: large.id, connectionId: largeConnection },
    };
  } finally {
    await db.close();
  }
}

/**
 * Grows the large tenant to `total` invoices (each with one fee) and `total` processed inbox
 * events, from however many it holds now, then refreshes the planner's statistics.
 */
export async function growLargeTenant(
  client: pg.Client,
  large: Seeded['large'],
  total: number,
): Promise<void> {
  const held = Number(
    (
      await client.query('select count(*)::int as n from invoices where organization_id = $1', [
        large.organizationId,
      ])
    ).rows[0].n,
  );
  const step = 250_000;
  for (let from = held; from < total; from += step) {
    const to = Math.min(total, from + step);
    await client.query(
      `with customers_of as (
         select array_agg(c.id order by c.sequential_id) as ids, count(*)::int as n
           from customers c where c.organization_id = $1
       ), addon as (
         select id from add_ons where organization_id = $1 and code = 'fee' and deleted_at is null
       ), inserted as (
         insert into invoices (id, organization_id, customer_id, invoice_type, status, sequential_id, number,
           issuing_date, finalized_at, currency, fees_amount_cents, taxes_amount_cents, total_amount_cents,
           total_paid_amount_cents, credited_credit_cents, credited_refund_cents, credited_offset_cents,
           payment_status, payment_settled_at, version, created_at, updated_at)
         select gen_random_uuid(), $1, co.ids[g % co.n + 1], 'one_off', 'finalized', 1000 + g / co.n,
                'LRG-' || lpad((g % co.n + 1)::text, 3, '0') || '-' || (1000 + g / co.n),
                date '2025-01-01' + (g % 700), timestamptz '2025-01-01' + g * interval '1 second', 'USD',
                1000, 0, 1000, 1000, 0, 0, 0, 'succeeded', timestamptz '2025-01-01' + g * interval '1 second',
                3, timestamptz '2025-01-01' + g * interval '1 second', timestamptz '2025-01-01' + g * interval '1 second'
           from generate_series($2::int, $3::int - 1) g, customers_of co
         returning id
       )
       insert into fees (id, invoice_id, position, add_on_id, add_on_code, name, units, unit_amount_cents, amount_cents, currency)
       select gen_random_uuid(), inserted.id, 0, addon.id, 'fee', 'Fee', '1', 1000, 1000, 'USD' from inserted, addon`,
      [large.organizationId, from, to],
    );
    await client.query(
      `insert into stripe_inbox_events (id, organization_id, connection_id, stripe_event_id, type, stripe_created_at,
         payload, received_at, processed_at, outcome)
       select gen_random_uuid(), $1, $2, 'evt_seed' || g, 'payment_intent.succeeded',
              timestamptz '2025-01-01' + g * interval '1 second',
              jsonb_build_object('id', 'evt_seed' || g, 'object', 'event', 'type', 'payment_intent.succeeded',
                'created', 1735689600 + g, 'data', jsonb_build_object('object', jsonb_build_object(
                  'id', 'pi_seed' || g, 'object', 'payment_intent', 'amount', 1000, 'currency', 'usd',
                  'status', 'succeeded'))),
              timestamptz '2025-01-01' + g * interval '1 second', timestamptz '2025-01-01' + g * interval '1 second', 'ignored'
         from generate_series($3::int, $4::int - 1) g`,
      [large.organizationId, large.connectionId, from, to],
    );
  }
  await client.query('vacuum analyze');
}
