/**
 * The stack's ceiling: a minimal Hono + `pg` server (no ORM, no validation, no logging) running the
 * same statements as Payrail on the same database, served as its own process and loaded the same
 * way. Each Payrail figure is read as a ratio to its ceiling measured in the same run.
 *
 *   node bench/dist/ceiling.js     (DATABASE_URL, PORT, HOST; JOB_SCHEMA, default pgboss)
 */
import { createHash, randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  // The same pool size as the ORM's in each Payrail process.
  max: 10,
  application_name: 'payrail-bench-ceiling',
});
const jobs = `"${(process.env.JOB_SCHEMA ?? 'pgboss').replace(/"/g, '""')}".job`;

/** API key lookup, as every authenticated request does it: by the key's SHA-256, not revoked. */
async function organizationOf(c: Context, db: pg.Pool | pg.PoolClient = pool): Promise<string | null> {
  const header = c.req.header('authorization') ?? '';
  const key = header.slice('Bearer '.length);
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  const { rows } = await db.query(
    'select organization_id from api_keys where key_hash = $1 and revoked_at is null',
    [hash],
  );
  return (rows[0]?.organization_id as string | undefined) ?? null;
}

const unauthorized = (c: Context) => c.json({ status: 401, error: 'Unauthorized' }, 401);

const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok' }));
app.get('/ready', (c) => c.json({ status: 'ready' }));

/** One resource: key lookup plus one row. */
app.get('/api/v1/customers/:id', async (c) => {
  const organizationId = await organizationOf(c);
  if (!organizationId) return unauthorized(c);
  const { rows } = await pool.query(
    'select * from customers where organization_id = $1 and external_id = $2 and deleted_at is null',
    [organizationId, c.req.param('id')],
  );
  if (rows.length === 0) return c.json({ status: 404 }, 404);
  return c.json({ customer: rows[0] });
});

/**
 * A 20-item page of Lago's list: key lookup, then what a list item holds and the list's `meta`
 * needs: the organization's invoice count, and the page's invoices, each with its customer (the
 * whole row, as Lago's item embeds the whole customer) and its metadata.
 */
app.get('/api/v1/invoices', async (c) => {
  const organizationId = await organizationOf(c);
  if (!organizationId) return unauthorized(c);
  const { rows } = await pool.query(
    `select t.total, p.* from (select count(*) as total from invoices where organization_id = $1) t
     left join lateral (
       select i.*, to_json(c) as customer,
              coalesce((select json_agg(m) from invoice_metadata m where m.invoice_id = i.id), '[]') as metadata
         from invoices i join customers c on c.id = i.customer_id
        where i.organization_id = $1
        order by i.issuing_date desc nulls first, i.created_at desc, i.id asc
        limit 20
     ) p on true`,
    [organizationId],
  );
  const invoices = rows.filter((row) => row.id !== null);
  return c.json({ invoices, meta: { current_page: 1, total_count: Number(rows[0]?.total ?? 0) } });
});

interface InvoiceBody {
  readonly invoice: {
    readonly external_customer_id: string;
    readonly fees: readonly { readonly add_on_code: string }[];
    readonly skip_psp?: boolean;
  };
}

/**
 * `POST /invoices` with one fee: key lookup, then in one transaction the reads and inserts
 * Payrail's use case makes (customer, organization, add-on, the customer's invoice counter, the
 * invoice, its fee, the outbox event, its delivery job and the collection job); the answer is the
 * invoice with its fee and customer.
 */
app.post('/api/v1/invoices', async (c) => {
  const body = (await c.req.json()) as InvoiceBody;
  const client = await pool.connect();
  try {
    const organizationId = await organizationOf(c, client);
    if (!organizationId) return unauthorized(c);
    await client.query('begin');
    const customer = (
      await client.query(
        'select * from customers where organization_id = $1 and external_id = $2 and deleted_at is null',
        [organizationId, body.invoice.external_customer_id],
      )
    ).rows[0];
    const organization = (
      await client.query('select document_number_prefix from organizations where id = $1', [organizationId])
    ).rows[0];
    const addOn = (
      await client.query(
        'select id, code, name, amount_cents, currency from add_ons where organization_id = $1 and code = $2 and deleted_at is null',
        [organizationId, body.invoice.fees[0]?.add_on_code],
      )
    ).rows[0];
    if (!customer || !organization || !addOn) {
      await client.query('rollback');
      return c.json({ status: 404 }, 404);
    }
    const sequence = (
      await client.query(
        `insert into sequences (scope_kind, scope_id, last_value) values ('invoice', $1, 1)
         on conflict (scope_kind, scope_id) do update set last_value = sequences.last_value + 1
         returning last_value`,
        [customer.id],
      )
    ).rows[0].last_value as number;
    const invoiceId = randomUUID();
    const now = new Date();
    const amount = Number(addOn.amount_cents);
    const number = `${organization.document_number_prefix}-${String(customer.sequential_id).padStart(3, '0')}-${String(sequence).padStart(3, '0')}`;
    const inserted = await client.query(
      `insert into invoices (id, organization_id, customer_id, invoice_type, status, sequential_id, number,
         issuing_date, finalized_at, currency, fees_amount_cents, taxes_amount_cents, total_amount_cents,
         total_paid_amount_cents, credited_credit_cents, credited_refund_cents, credited_offset_cents,
         payment_status, version, created_at, updated_at)
       values ($1, $2, $3, 'one_off', 'finalized', $4, $5, $6, $7, $8, $9, 0, $9, 0, 0, 0, 0, 'pending', 2, $7, $7)
       returning *`,
      [
        invoiceId,
        organizationId,
        customer.id,
        sequence,
        number,
        now.toISOString().slice(0, 10),
        now,
        addOn.currency,
        amount,
      ],
    );
    const fee = await client.query(
      `insert into fees (id, invoice_id, position, add_on_id, add_on_code, name, units, unit_amount_cents, amount_cents, currency)
       values ($1, $2, 0, $3, $4, $5, '1', $6, $6, $7)
       returning *`,
      [randomUUID(), invoiceId, addOn.id, addOn.code, addOn.name, amount, addOn.currency],
    );
    const eventId = randomUUID();
    await client.query(
      `insert into webhook_events (id, organization_id, webhook_type, object_type, payload, created_at)
       values ($1, $2, 'invoice.one_off_created', 'invoice', $3, $4)`,
      [eventId, organizationId, JSON.stringify({ lago_invoice_id: invoiceId }), now],
    );
    const collect = body.invoice.skip_psp !== true;
    await client.query(
      `insert into ${jobs} (name, data, singleton_key, group_id, policy, retry_limit, retry_delay,
         retry_backoff, retry_delay_max, expire_seconds, heartbeat_seconds)
       select * from (values
         ('webhook.deliver', $1::jsonb, $2, $3, 'exclusive', 14, 10, true, 3600, 120, 20),
         ('payment.collect', $4::jsonb, $5, null, 'stately', 10, 2, true, 600, 300, 20)) v
       where v.column1 = 'webhook.deliver' or $6
       on conflict do nothing`,
      [
        JSON.stringify({ organizationId, eventId }),
        `webhook.deliver:${eventId}`,
        organizationId,
        JSON.stringify({ organizationId, invoiceId }),
        `payment.collect:${invoiceId}`,
        collect,
      ],
    );
    await client.query('commit');
    // The answer holds what Lago's holds: the invoice, its fees and its customer.
    return c.json({ invoice: { ...inserted.rows[0], fees: fee.rows, customer } });
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
});

/** Webhook ingest's ceiling: one row inserted and committed per request, nothing verified. */
app.post('/webhooks/stripe/:organizationId', async (c) => {
  const raw = await c.req.text();
  const event = JSON.parse(raw) as { id: string; type: string; created: number };
  await pool.query(
    `insert into stripe_inbox_events (id, organization_id, connection_id, stripe_event_id, type, stripe_created_at, payload, received_at)
     values ($1, $2, $3, $4, $5, to_timestamp($6), $7, now())`,
    [
      randomUUID(),
      c.req.param('organizationId'),
      c.req.query('connection'),
      event.id,
      event.type,
      event.created,
      raw,
    ],
  );
  return c.json({ received: true });
});

const server = serve({
  fetch: app.fetch,
  hostname: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
const stop = () => {
  server.close();
  void pool.end().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
