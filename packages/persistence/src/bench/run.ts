/**
 * Write throughput of the persistence layer next to a raw `pg` baseline measured in the same run:
 *   node dist/bench/run.js                 # embedded PGlite (in memory)
 *   DATABASE_URL=postgresql://... node dist/bench/run.js
 * Prints rows/s of each workload and its ratio to the baseline. Not a test: numbers vary with load.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type CurrencyCode, Secret } from '@payrail/domain';
import pg from 'pg';
import { SecretBox } from '../crypto/secret-box.js';
import { type Database, openDatabase } from '../database.js';
import { startEmbeddedPostgres } from '../embedded/start-embedded-postgres.js';
import { quoteIdent } from '../sql/quote.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const EUR = 'EUR' as CurrencyCode;

async function timed(label: string, count: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await op(i);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { label, perSecond: count / seconds };
}

function eventBody(id: string): string {
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: 1_764_000_000,
    type: 'payment_intent.succeeded',
    data: { object: { id: `pi_${id.slice(4)}`, object: 'payment_intent', amount: 30_000, currency: 'eur' } },
  });
}

/** Time from a committed enqueue to the handler starting, with the worker idle beforehand. */
async function idlePickup(
  db: Database,
  organizationId: string,
): Promise<{ medianMs: number; samples: number }> {
  const samples = 9;
  const waiting = new Map<string, (at: number) => void>();
  await db.queue.work('payment.reconcile', async (job) => {
    waiting.get(String(job.payload.paymentId))?.(performance.now());
  });
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    await new Promise((r) => setTimeout(r, 700)); // the worker goes idle between samples
    const key = randomUUID();
    const started = new Promise<number>((resolve) => waiting.set(key, resolve));
    await db.unitOfWork.run(organizationId, (tx) =>
      tx.jobs.enqueue({ name: 'payment.reconcile', payload: { organizationId, paymentId: key } }),
    );
    const committedAt = performance.now();
    times.push(Math.max(0, (await started) - committedAt));
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(samples / 2)] ?? Number.NaN, samples };
}

async function main(): Promise<void> {
  const embedded = !process.env.DATABASE_URL;
  const server = embedded ? await startEmbeddedPostgres({ maxConnections: 16 }) : undefined;
  const url = process.env.DATABASE_URL ?? server?.url ?? '';
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({
    url,
    schema,
    queueSchema: `${schema}_jobs`,
    embedded,
    migrate: true,
    secretBox: new SecretBox(randomBytes(32)),
    queueMaintenance: false,
  });
  const pool = new pg.Pool({ connectionString: url, max: embedded ? 1 : 10 });
  const s = quoteIdent(schema);
  try {
    const org = await db.organizations.create({ name: 'Bench', documentNumberPrefix: 'BEN-1' });
    const now = new Date();
    const connectionId = randomUUID();
    const customerId = randomUUID();
    const addOnId = randomUUID();
    await db.unitOfWork.run(org.id, async (tx) => {
      await tx.stripeConnections.insert({
        id: connectionId,
        organizationId: org.id,
        name: 'bench',
        code: 'bench',
        secretKey: new Secret('sk_test_bench'),
        successRedirectUrl: null,
        webhookEndpoint: { providerEndpointId: 'we_bench', signingSecret: new Secret('whsec_bench') },
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await tx.customers.insert({
        id: customerId,
        organizationId: org.id,
        externalId: 'bench',
        sequentialId: 1,
        name: null,
        firstname: null,
        lastname: null,
        email: null,
        phone: null,
        currency: EUR,
        address: { line1: null, line2: null, city: null, state: null, zipcode: null, country: null },
        billing: { provider: 'none' },
        version: 1,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await tx.addOns.insert({
        id: addOnId,
        organizationId: org.id,
        code: 'bench',
        name: 'bench',
        invoiceDisplayName: null,
        description: null,
        amountCents: 100,
        currency: EUR,
        version: 1,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
    });
    await pool.query(
      `create table ${s}.bench_baseline (id uuid primary key, stripe_event_id text unique, payload jsonb)`,
    );

    const baseline = await timed('raw pg insert (baseline)', COUNT, CONCURRENCY, () => {
      const id = randomUUID();
      return pool.query(`insert into ${s}.bench_baseline values ($1, $2, $3::jsonb)`, [
        id,
        `evt_${id}`,
        eventBody(`evt_${id}`),
      ]);
    });
    const inbox = await timed('inbox insert (row + job)', COUNT, CONCURRENCY * 4, () => {
      const eventId = `evt_${randomUUID().replaceAll('-', '')}`;
      return db.inbox.insert({
        organizationId: org.id,
        connectionId,
        stripeEventId: eventId,
        type: 'payment_intent.succeeded',
        createdAt: now,
        payload: eventBody(eventId),
      });
    });
    const invoices = await timed('invoice + fee + payment (one tx)', Math.ceil(COUNT / 3), CONCURRENCY, (i) =>
      db.unitOfWork.run(org.id, async (tx) => {
        const invoiceId = randomUUID();
        const stamp = new Date();
        await tx.invoices.insert({
          id: invoiceId,
          organizationId: org.id,
          customerId,
          invoiceType: 'one_off',
          status: 'finalized',
          sequentialId: i + 1,
          number: `BEN-1-001-${i + 1}`,
          issuingDate: '2026-11-26',
          finalizedAt: stamp,
          currency: EUR,
          fees: [
            {
              id: randomUUID(),
              addOnId,
              addOnCode: 'bench',
              name: 'bench',
              invoiceDisplayName: null,
              description: null,
              units: '1',
              unitAmountCents: 100,
              amountCents: 100,
              currency: EUR,
            },
          ],
          feesAmountCents: 100,
          taxesAmountCents: 0,
          totalAmountCents: 100,
          totalPaidAmountCents: 0,
          credited: { creditCents: 0, refundCents: 0, offsetCents: 0 },
          payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
          paymentDisputeLostAt: null,
          metadata: [],
          version: 1,
          createdAt: stamp,
          updatedAt: stamp,
        });
        await tx.payments.insert({
          id: randomUUID(),
          organizationId: org.id,
          invoiceId,
          customerId,
          connectionId,
          providerCustomerId: 'cus_bench',
          providerPaymentMethodId: 'pm_bench',
          amountCents: 100,
          currency: EUR,
          providerPaymentId: null,
          providerStatus: null,
          request: { allowedMethods: ['card'], description: 'Bench', returnUrl: null, metadata: {} },
          checkout: null,
          status: 'pending',
          version: 1,
          createdAt: stamp,
          updatedAt: stamp,
        });
      }),
    );

    const pickup = await idlePickup(db, org.id);

    console.log(
      `backend: ${embedded ? 'embedded PGlite' : 'PostgreSQL'}, ${COUNT} rows, concurrency ${CONCURRENCY}`,
    );
    for (const r of [baseline, inbox, invoices]) {
      const ratio = r.perSecond / baseline.perSecond;
      console.log(
        `${r.label.padEnd(36)} ${r.perSecond.toFixed(0).padStart(7)} /s   ${ratio.toFixed(2)}x baseline`,
      );
    }
    console.log(
      `idle worker pickup after commit, median of ${pickup.samples}: ${pickup.medianMs.toFixed(1)} ms`,
    );
  } finally {
    await pool.query(`drop schema if exists ${s} cascade`).catch(() => undefined);
    await pool.query(`drop schema if exists ${quoteIdent(`${schema}_jobs`)} cascade`).catch(() => undefined);
    await pool.end();
    await db.close();
    await server?.stop();
  }
}

await main();
