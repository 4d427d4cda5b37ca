import type { Id, Tx, UnitOfWork } from '@payrail/domain';
import type { ReadScope, ReadTx } from '@payrail/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../src/index.js';
import { type Harness, seedSetupFeeCustomers, startHarness } from './harness.js';

/**
 * The unit of work with a fault to inject: `failAfterCommit` makes the transaction or read that
 * follows the next committed transaction throw (the answer is lost after the write), `failNext`
 * the very next one.
 */
class FaultyUnitOfWork implements UnitOfWork, ReadScope {
  #afterCommit = false;
  #next = false;
  #before: (() => Promise<unknown>) | null = null;
  constructor(
    private readonly inner: UnitOfWork,
    private readonly reads: ReadScope,
  ) {}
  failAfterCommit(): void {
    this.#afterCommit = true;
  }
  failNext(): void {
    this.#next = true;
  }
  /** Runs `step` just before the next transaction, as another process would meanwhile. */
  beforeNext(step: () => Promise<unknown>): void {
    this.#before = step;
  }
  async #step(): Promise<void> {
    const before = this.#before;
    this.#before = null;
    await before?.();
    if (this.#next) {
      this.#next = false;
      throw new Error('injected: the database went away');
    }
  }
  async read<T>(organizationId: Id | null, fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    await this.#step();
    return this.reads.read(organizationId, fn);
  }
  async run<T>(organizationId: Id | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    await this.#step();
    const value = await this.inner.run(organizationId, fn);
    if (this.#afterCommit) {
      this.#afterCommit = false;
      this.#next = true;
    }
    return value;
  }
}

describe('Idempotency-Key is committed with the write', () => {
  let h: Harness;
  let faulty: FaultyUnitOfWork;
  let faultyApp: ReturnType<typeof createApiApp>;
  beforeAll(async () => {
    h = await startHarness();
    await seedSetupFeeCustomers(h);
    faulty = new FaultyUnitOfWork(h.deps.ctx.uow, h.deps.reads);
    faultyApp = createApiApp({ ...h.deps, reads: faulty, ctx: { ...h.deps.ctx, uow: faulty } });
  });
  afterAll(() => h.close());

  const invoiceBody = {
    invoice: { external_customer_id: 'cust_card', fees: [{ add_on_code: 'setup_fee' }] },
  };

  const post = (path: string, key: string, body: unknown) =>
    h.call('POST', `/api/v1${path}`, { headers: { 'idempotency-key': key }, body });

  /** The same request through the app whose unit of work fails on cue; only the status matters. */
  async function postFaulty(path: string, key: string, body: unknown): Promise<number> {
    const res = await faultyApp.request(`/api/v1${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h.acme.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  const invoiceCount = async () =>
    (
      (await h.call('GET', '/api/v1/invoices?external_customer_id=cust_card')).body as {
        meta: { total_count: number };
      }
    ).meta.total_count;
  const collectJobs = () => h.db.queue.pendingCount(['payment.collect']);
  const record = (key: string, set: string) =>
    h.db.orm.em
      .fork()
      .execute(`update "${h.db.schema}".api_idempotency_records set ${set} where "key" = ?`, [key]);

  it('answers a retry after an error that followed the commit with the first invoice, and charges once', async () => {
    const [invoicesBefore, jobsBefore] = [await invoiceCount(), await collectJobs()];
    faulty.failAfterCommit();
    const lost = await postFaulty('/invoices', 'inv-lost-answer', invoiceBody);
    expect(lost).toBe(500);
    expect(await invoiceCount()).toBe(invoicesBefore + 1);

    const retried = await post('/invoices', 'inv-lost-answer', invoiceBody);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const listed = await h.call('GET', '/api/v1/invoices?external_customer_id=cust_card&per_page=100');
    const ids = (listed.body as { invoices: { lago_id: string }[] }).invoices.map((i) => i.lago_id);
    expect(ids).toContain((retried.body as { invoice: { lago_id: string } }).invoice.lago_id);
    expect(await invoiceCount()).toBe(invoicesBefore + 1);
    expect(await collectJobs()).toBe(jobsBefore + 1);

    const again = await post('/invoices', 'inv-lost-answer', invoiceBody);
    expect(again).toMatchObject({ status: 200, body: retried.body as object });
  });

  it('does not write again after a crash between the commit and the answer (a stale record)', async () => {
    const first = await post('/invoices', 'inv-crash', invoiceBody);
    expect(first.status).toBe(200);
    const [invoicesBefore, jobsBefore] = [await invoiceCount(), await collectJobs()];
    // What a crash after the commit leaves: no answer, and a request long gone.
    await record(
      'inv-crash',
      `"response_status" = null, "response_body" = null, "created_at" = now() - interval '2 minutes'`,
    );
    const retried = await post('/invoices', 'inv-crash', invoiceBody);
    expect(retried.status).toBe(200);
    expect((retried.body as { invoice: { lago_id: string } }).invoice.lago_id).toBe(
      (first.body as { invoice: { lago_id: string } }).invoice.lago_id,
    );
    expect(await invoiceCount()).toBe(invoicesBefore);
    expect(await collectJobs()).toBe(jobsBefore);
  });

  it('tells a duplicate that arrives while the committed first request is still answering to retry later', async () => {
    const first = await post('/invoices', 'inv-busy', invoiceBody);
    expect(first.status).toBe(200);
    const invoicesBefore = await invoiceCount();
    await record('inv-busy', `"response_status" = null, "response_body" = null, "created_at" = now()`);
    const duplicate = await post('/invoices', 'inv-busy', invoiceBody);
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'idempotency_request_in_progress' } });
    expect(await invoiceCount()).toBe(invoicesBefore);
  });

  it('frees the key when the request failed before writing anything', async () => {
    const invoicesBefore = await invoiceCount();
    faulty.failNext();
    const failed = await postFaulty('/invoices', 'inv-nothing-written', invoiceBody);
    expect(failed).toBe(500);
    expect(await invoiceCount()).toBe(invoicesBefore);
    const retried = await post('/invoices', 'inv-nothing-written', invoiceBody);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await invoiceCount()).toBe(invoicesBefore + 1);
  });

  it('rolls the write back when the key was taken over by a retry before the request committed', async () => {
    const [invoicesBefore, jobsBefore] = [await invoiceCount(), await collectJobs()];
    // The request is judged dead (stale) and a retry takes the key before the first one writes.
    faulty.beforeNext(() =>
      record('inv-taken-over', `"id" = gen_random_uuid(), "created_at" = now() - interval '1 hour'`),
    );
    expect(await postFaulty('/invoices', 'inv-taken-over', invoiceBody)).toBe(500);
    expect(await invoiceCount()).toBe(invoicesBefore);
    expect(await collectJobs()).toBe(jobsBefore);
  });

  it('replays a customer upsert from what the first attempt committed', async () => {
    const body = { customer: { external_id: 'idem_customer', name: 'Idem', currency: 'USD' } };
    faulty.failAfterCommit();
    expect(await postFaulty('/customers', 'lost-customer', body)).toBe(500);
    const retried = await post('/customers', 'lost-customer', body);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const read = await h.call('GET', '/api/v1/customers/idem_customer');
    expect((retried.body as { customer: { lago_id: string } }).customer.lago_id).toBe(
      (read.body as { customer: { lago_id: string } }).customer.lago_id,
    );
  });

  it('records a manual payment once when its answer was lost', async () => {
    const invoice = await h.call('POST', '/api/v1/invoices', {
      body: { invoice: { external_customer_id: 'cust_plain', fees: [{ add_on_code: 'setup_fee' }] } },
    });
    const invoiceId = (invoice.body as { invoice: { lago_id: string } }).invoice.lago_id;
    const body = { payment: { invoice_id: invoiceId, amount_cents: 1000, reference: 'wire 1' } };
    faulty.failAfterCommit();
    expect(await postFaulty('/payments', 'lost-payment', body)).toBe(500);
    const retried = await post('/payments', 'lost-payment', body);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const listed = await h.call('GET', `/api/v1/payments?invoice_id=${invoiceId}`);
    const payments = (listed.body as { payments: { lago_id: string }[] }).payments;
    expect(payments.map((p) => p.lago_id)).toEqual([
      (retried.body as { payment: { lago_id: string } }).payment.lago_id,
    ]);
  });
});
