/**
 * The chaos run: the production shape as separate processes on a fresh PostgreSQL database, a
 * seeded mix of merchant and customer operations, seeded faults everywhere between the parts, then
 * a quiet period and a check of what must hold, against the emulator's own records.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapOrganization } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { type Database, loadSecretBox, openDatabase } from '@payrail/persistence';
import { type EmulatorControls, emulatorControls, type FaultKind } from '@payrail/stripe-emulator';
import pg from 'pg';
import Stripe from 'stripe';
import { type ManagedProcess, type RunningProcesses, startProcesses } from '../processes.js';
import { CpuMeter } from './cpu.js';
import { type Checked, checkInvariants } from './invariants.js';
import { MerchantReceiver, TcpProxy, WebhookProxy, type Window } from './proxies.js';
import { Random } from './random.js';

export interface ChaosOptions {
  readonly invoices: number;
  readonly seed: number;
  /** Upper bound on the driving phase; invoices not created by then are left out (and reported). */
  readonly minutes?: number;
  /** A server to create the run's database on; default DATABASE_URL or the local postgres. */
  readonly adminUrl?: string;
  readonly workers?: number;
  readonly concurrency?: number;
  readonly outageSeconds?: number;
  readonly receiverDownSeconds?: number;
  /** Seconds between kills, drawn from this range. */
  readonly killEverySeconds?: readonly [number, number];
  readonly quiesceTimeoutMs?: number;
  readonly keepDatabase?: boolean;
  /** Where every process writes a CPU profile (`node --cpu-prof`) when it stops; killed ones write none. */
  readonly profileDir?: string;
  readonly log?: (line: string) => void;
}

export interface ChaosReport extends Checked {
  readonly invoices: number;
  readonly faults: Record<string, number>;
  readonly kills: number;
  /** CPU seconds per process role (workers summed) and the driver's; the machine's busy share. */
  readonly cpu: { readonly seconds: Record<string, number>; readonly machineBusy: number | undefined };
  readonly crashes: number;
  readonly operations: number;
  readonly operationErrors: number;
  /** 503 provider_unavailable answers while Stripe faults were injected (see `call`). */
  readonly stripeUnavailable: number;
  readonly durationMs: number;
  readonly driveMs: number;
  readonly quiesceMs: number;
  readonly logDir: string;
}

export function finalLine(r: ChaosReport): string {
  const total = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(r.faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    `chaos: ${r.invoices} invoices, ${total} faults (${kinds}), ${r.kills} kills; ` +
    `double charges ${r.doubleCharges}, overcharges ${r.overcharges}, stuck ${r.stuck}, ` +
    `lost events ${r.lostEvents}, state mismatches ${r.stateMismatches}, 5xx outside outages ${r.serverErrorsOutsideOutages}`
  );
}

export function failed(r: Checked): boolean {
  return (
    r.doubleCharges +
      r.overcharges +
      r.stuck +
      r.lostEvents +
      r.stateMismatches +
      r.serverErrorsOutsideOutages >
    0
  );
}

type Method = 'card' | 'sepa' | 'ach' | 'bacs';
interface CustomerPlan {
  readonly externalId: string;
  readonly currency: 'USD' | 'EUR' | 'GBP';
  readonly method: Method;
  readonly instrument: string;
  ready: boolean;
}

const PROFILES: readonly (readonly [number, Omit<CustomerPlan, 'externalId' | 'ready'>])[] = [
  [20, { currency: 'USD', method: 'card', instrument: 'card_visa' }],
  [12, { currency: 'EUR', method: 'card', instrument: 'card_mastercard' }],
  [8, { currency: 'GBP', method: 'card', instrument: 'card_visa_debit' }],
  [10, { currency: 'EUR', method: 'sepa', instrument: 'sepa_success' }],
  [8, { currency: 'USD', method: 'ach', instrument: 'ach_success' }],
  [8, { currency: 'GBP', method: 'bacs', instrument: 'bacs_success' }],
  [6, { currency: 'USD', method: 'card', instrument: 'card_charge_customer_fail' }],
  [4, { currency: 'EUR', method: 'sepa', instrument: 'sepa_failed' }],
  [3, { currency: 'USD', method: 'ach', instrument: 'ach_insufficient_funds' }],
  [6, { currency: 'USD', method: 'card', instrument: 'card_dispute' }],
  [3, { currency: 'GBP', method: 'bacs', instrument: 'bacs_insufficient_funds' }],
];

const METHOD_TYPES: Record<Method, string[]> = {
  card: ['card'],
  sepa: ['card', 'sepa_debit'],
  ach: ['card', 'us_bank_account'],
  bacs: ['card', 'bacs_debit'],
};

/** Every Stripe route Payrail calls, where faults are injected. */
const STRIPE_PATHS = [
  '/v1/customers',
  '/v1/checkout/sessions',
  '/v1/payment_intents',
  '/v1/refunds',
  '/v1/payment_methods',
] as const;
const STRIPE_FAULTS: readonly FaultKind[] = [
  'server_error',
  'reset',
  'rate_limit',
  'lock_timeout',
  'latency',
  'server_error_after_commit',
  'reset_after_commit',
];

function weighted<T>(random: Random, items: readonly (readonly [number, T])[]): T {
  const total = items.reduce((a, [w]) => a + w, 0);
  let roll = random.next() * total;
  for (const [w, item] of items) {
    roll -= w;
    if (roll < 0) return item;
  }
  return (items.at(-1) as readonly [number, T])[1];
}

// biome-ignore lint/suspicious/noExplicitAny: the driver reads API answers loosely, field by field.
type Answer = Record<string, any>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Asks until `check` answers, first after `every` ms, then half as often again each time up to
 * every 3 s: a lane waiting on a slow step (a customer's Stripe link during an outage) costs the
 * system a few requests, not one every quarter second.
 */
async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  every = 250,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  let wait = every;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch {
      // the system may be in an outage; ask again
    }
    if (Date.now() > deadline) return undefined;
    await sleep(wait);
    wait = Math.min(3_000, Math.max(wait, Math.round(wait * 1.5)));
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const random = new Random(options.seed);
  const plan = random.fork('plan');
  const chaos = random.fork('faults');
  const adminUrl =
    options.adminUrl ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `payrail_chaos_${options.seed}_${randomBytes(3).toString('hex')}`;
  const directUrl = new URL(adminUrl);
  directUrl.pathname = `/${dbName}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  const logDir = await mkdtemp(join(tmpdir(), 'payrail-chaos-'));
  let keep = false;
  log(`chaos: seed ${options.seed}, database ${dbName}, process logs in ${logDir}`);

  const pgProxy = new TcpProxy({ host: directUrl.hostname, port: Number(directUrl.port || 5432) });
  const proxyUrl = new URL(directUrl);
  const proxied = await pgProxy.start();
  proxyUrl.host = proxied;
  let running: RunningProcesses | null = null;
  const webhookProxy = new WebhookProxy(
    () => running?.webhooksUrl ?? 'http://127.0.0.1:1',
    () => chaos.next(),
  );
  const merchant = new MerchantReceiver();
  // One key for every process and the driver's own connection: the driver creates the organization.
  const encryptionKey = randomBytes(32).toString('hex');
  let database: Database | null = null;
  const faults: Record<string, number> = {};
  const count = (kind: string, n = 1) => {
    faults[kind] = (faults[kind] ?? 0) + n;
  };
  let kills = 0;
  let crashes = 0;
  let operations = 0;
  let operationErrors = 0;
  let stripeUnavailable = 0;
  const serverErrors: { at: number; what: string }[] = [];
  /** Merchant writes that could never complete: counted as stuck. */
  const stuckRequests: string[] = [];
  const outages: Window[] = pgProxy.outages;
  const killWindows: Window[] = [];

  try {
    const publicBaseUrl = await webhookProxy.start();
    const merchantUrl = await merchant.start();
    running = await startProcesses({
      databaseUrl: proxyUrl.toString(),
      encryptionKey,
      signingKeyPem: WebhookSigningKey.generate().privateKeyPem(),
      workers: options.workers ?? 2,
      publicBaseUrl,
      output: { logDir },
      // A loaded machine starts slowly; the run is about faults, not start-up time.
      readyTimeoutMs: 120_000,
      ...(options.profileDir === undefined
        ? {}
        : {
            nodeArgs: Object.fromEntries(
              (['api', 'webhooks', 'worker', 'emulator'] as const).map((role) => [
                role,
                ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`],
              ]),
            ),
          }),
      // The merchant's receiver listens on loopback, which production refuses.
      env: { LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback' },
      roleEnv: {
        // The sweep looks at payments quiet for 20 s (not 15 min), so it can run within the run.
        worker: {
          RECONCILE_AFTER_SECONDS: '20',
          // Re-read every in-flight payment at least every 40 s, so two quiet sweeps see them all.
          RECONCILE_MAX_INTERVAL_SECONDS: '40',
          // Lost collection jobs and unprocessed inbox rows are found again within the run.
          METHOD_CHECK_AFTER_SECONDS: '60',
          INBOX_REDRIVE_AFTER_SECONDS: '60',
          WORKER_CONCURRENCY: '4',
          WEBHOOK_TIMEOUT_SECONDS: '10',
        },
      },
    });
    const system = running;
    const cpu = new CpuMeter(() => system.all);
    cpu.start();
    log(`chaos: api ${system.apiUrl}, webhooks ${system.webhooksUrl}, emulator ${system.stripeApiBase}`);
    const controls: EmulatorControls = emulatorControls(system.stripeApiBase);

    const secretBox = await loadSecretBox({ value: encryptionKey, production: true });
    database = await openDatabase({
      url: directUrl.toString(),
      embedded: false,
      secretBox,
      queueMaintenance: false,
    });
    const org = await bootstrapOrganization(database.organizations, { name: 'Chaos Company' });

    let stripeFaultsOn = true;
    const inOutage = (at: number) =>
      outages.some((w) => at >= w.from && at <= w.to + 15_000) ||
      killWindows.some((w) => at >= w.from && at <= w.to + 2_000);
    const call = async (method: string, path: string, body?: unknown, idempotencyKey?: string) => {
      operations += 1;
      const at = Date.now();
      try {
        const response = await fetch(`${system.apiUrl}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${org.apiKey}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (response.status >= 500) {
          const during = inOutage(at) || inOutage(Date.now());
          // A route that calls Stripe while it answers (a checkout link) says so with 503
          // provider_unavailable when an injected burst outlasts the SDK's retries: Stripe's
          // outage, reported honestly, not Payrail's failure. Counted apart; after the faults stop
          // it counts as a 5xx like any other.
          const stripeDown =
            stripeFaultsOn && response.status === 503 && text.includes('"provider_unavailable"');
          if (stripeDown) stripeUnavailable += 1;
          else if (!during)
            serverErrors.push({ at, what: `${method} ${path} -> ${response.status} ${text.slice(0, 300)}` });
        }
        if (response.status >= 400) operationErrors += 1;
        return {
          status: response.status,
          body: (text === '' ? null : JSON.parse(text)) as Answer,
        };
      } catch (error) {
        operationErrors += 1;
        return { status: 0, body: { error: String(error) } as Answer };
      }
    };
    /**
     * A merchant's retry: after a 5xx or a lost connection the same write is sent again with the
     * same Idempotency-Key until it gets an answer that is not an outage.
     */
    const retried = async (method: string, path: string, body?: unknown) => {
      const key = `chaos-${randomBytes(8).toString('hex')}`;
      const deadline = Date.now() + 180_000;
      for (;;) {
        const r = await call(method, path, body, method === 'GET' ? undefined : key);
        const inProgress = r.status === 409 && r.body?.code === 'idempotency_request_in_progress';
        if (r.status !== 0 && r.status < 500 && !inProgress) return r;
        if (Date.now() > deadline) {
          if (inProgress) {
            stuckRequests.push(
              `stuck request: ${method} ${path} with Idempotency-Key ${key} still answers 409 idempotency_request_in_progress after ${Math.round((Date.now() - (deadline - 180_000)) / 1000)} s`,
            );
          }
          return r;
        }
        await sleep(1_000);
      }
    };
    /** Setup calls must succeed: retried through outages. */
    const must = async (method: string, path: string, body?: unknown) => {
      const got = await until(async () => {
        const r = await call(method, path, body);
        return r.status === 200 ? r : undefined;
      }, 120_000);
      if (!got) throw new Error(`${method} ${path} did not succeed`);
      return got.body;
    };

    const secretKey = `sk_test_chaos_${options.seed}_${randomBytes(6).toString('hex')}`;
    const connection = await must('POST', '/stripe_connections', {
      stripe_connection: { name: 'Stripe (chaos)', code: 'stripe_chaos', secret_key: secretKey },
    });
    await must('POST', '/webhook_endpoints', {
      webhook_endpoint: { webhook_url: merchantUrl, signature_algo: 'hmac' },
    });
    for (const currency of ['USD', 'EUR', 'GBP']) {
      await must('POST', '/add_ons', {
        add_on: {
          name: `Service ${currency}`,
          code: `service_${currency}`,
          amount_cents: 1_000,
          amount_currency: currency,
        },
      });
    }
    const emulatorUrl = new URL(system.stripeApiBase);
    const stripe = new Stripe(secretKey, {
      host: emulatorUrl.hostname,
      port: Number(emulatorUrl.port),
      protocol: 'http',
      telemetry: false,
      maxNetworkRetries: 3,
    });

    // ---- faults, kills and outages on timers while the operations run ----
    const driveStarted = Date.now();
    const driveBudgetMs = (options.minutes ?? 15) * 60_000;
    let driving = true;
    const stopDriving = new AbortController();
    /** A pause between fault actions that ends early when the driving phase ends. */
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        if (stopDriving.signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          stopDriving.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        stopDriving.signal.addEventListener('abort', done, { once: true });
      });
    const background: Promise<void>[] = [];
    const loop = (name: string, every: () => number, body: () => Promise<void>) => {
      background.push(
        (async () => {
          while (driving) {
            await pause(every());
            if (!driving) break;
            try {
              await body();
            } catch (error) {
              log(`chaos: ${name} failed: ${(error as Error).message}`);
            }
          }
        })(),
      );
    };
    loop(
      'stripe faults',
      () => chaos.int(300, 1500),
      async () => {
        const kind = chaos.pick(STRIPE_FAULTS);
        const path = chaos.pick(STRIPE_PATHS);
        const n = chaos.int(1, 3);
        await controls.injectFault({
          kind,
          path,
          method: 'POST',
          count: n,
          ...(kind === 'latency' ? { latencyMs: chaos.int(200, 3000) } : {}),
        });
        count(kind === 'rate_limit' || kind === 'lock_timeout' ? `429 ${kind}` : kind, n);
      },
    );
    loop(
      'webhook faults',
      () => chaos.int(1000, 4000),
      async () => {
        const what = chaos.pick(['duplicate', 'hold', 'drop'] as const);
        if (what === 'duplicate') {
          const n = chaos.int(1, 5);
          await controls.duplicateNext(n);
          count('webhook duplicate', n);
        } else if (what === 'hold') {
          await controls.holdDeliveries();
          await sleep(chaos.int(500, 4000));
          const order = chaos.pick(['reverse', 'shuffle'] as const);
          const released = await controls.releaseDeliveries({ order });
          count(`webhook ${order}`, released);
        } else {
          const before = webhookProxy.dropped;
          webhookProxy.dropChance = 0.3;
          await sleep(chaos.int(300, 1500));
          webhookProxy.dropChance = 0;
          count('webhook drop', webhookProxy.dropped - before);
        }
      },
    );
    const [killMin, killMax] = options.killEverySeconds ?? [8, 25];
    const victims = (): ManagedProcess[] => [...system.workers, system.webhooks];
    /** As a supervisor would: start it again until it comes up (it cannot while the database is cut). */
    const restart = async (p: ManagedProcess) => {
      const deadline = Date.now() + 5 * 60_000;
      for (;;) {
        try {
          await p.restart();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await sleep(2_000);
        }
      }
    };
    loop(
      'kills',
      () => chaos.int(killMin * 1000, killMax * 1000),
      async () => {
        const victim = chaos.pick(victims());
        if (!victim.running()) return;
        const window = { from: Date.now(), to: Number.POSITIVE_INFINITY };
        killWindows.push(window);
        await victim.kill('SIGKILL');
        kills += 1;
        await sleep(chaos.int(200, 3000));
        await restart(victim);
        window.to = Date.now();
      },
    );
    // Whatever dies on its own (e.g. during the outage) is counted and started again.
    loop(
      'crash watch',
      () => 1000,
      async () => {
        for (const p of system.all) {
          if (!p.running() && !killWindows.some((w) => w.to === Number.POSITIVE_INFINITY)) {
            crashes += 1;
            log(`chaos: ${p.name} exited on its own; restarting it`);
            const window = { from: Date.now(), to: Number.POSITIVE_INFINITY };
            killWindows.push(window);
            await restart(p);
            window.to = Date.now();
          }
        }
      },
    );
    loop(
      'clock',
      () => 5000,
      async () => {
        // Bank debits and pending refunds settle on the emulator clock.
        await controls.advanceClock(61);
      },
    );
    const progress = { customersReady: 0, invoicesCreated: 0, followedUp: 0 };
    loop(
      'progress',
      () => 30_000,
      async () => {
        log(
          `chaos: ${Math.round((Date.now() - driveStarted) / 1000)} s: ${progress.customersReady} customers ready, ` +
            `${progress.invoicesCreated} invoices created, ${progress.followedUp} followed up, ${operations} API calls`,
        );
      },
    );
    const outageSeconds = options.outageSeconds ?? 30;
    const receiverDownSeconds = options.receiverDownSeconds ?? 120;
    background.push(
      (async () => {
        await sleep(chaos.int(2_000, 6_000));
        if (!driving) return;
        merchant.goDown();
        count('merchant receiver down');
        await sleep(receiverDownSeconds * 1000);
        merchant.comeBack();
      })(),
      (async () => {
        await sleep(chaos.int(8_000, 15_000));
        if (!driving) return;
        log(`chaos: PostgreSQL outage for ${outageSeconds} s`);
        pgProxy.cut(outageSeconds * 1000);
        count('postgres outage');
        await sleep(outageSeconds * 1000 + chaos.int(10_000, 20_000));
        if (!driving) return;
        log('chaos: PostgreSQL restart (every connection reset)');
        pgProxy.cut(1_000);
        count('postgres restart');
      })(),
    );

    // ---- operations ----
    const concurrency = options.concurrency ?? 16;
    const pool = async <T>(
      items: readonly T[],
      work: (item: T, i: number) => Promise<void>,
      lanes = concurrency,
    ) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(lanes, items.length) }, async () => {
          while (next < items.length && Date.now() - driveStarted < driveBudgetMs) {
            const i = next++;
            await work(items[i] as T, i);
          }
        }),
      );
    };

    // Four invoices per customer up to 1,000 invoices, then twenty: a large run is mostly invoices
    // (the customer setup through hosted checkout is not what the run is about).
    const customerCount = Math.max(
      6,
      Math.ceil(Math.min(options.invoices, 1_000) / 4 + Math.max(0, options.invoices - 1_000) / 20),
    );
    const customers: CustomerPlan[] = Array.from({ length: customerCount }, (_, i) => ({
      externalId: `cust_${options.seed}_${i}`,
      ...weighted(plan, PROFILES),
      ready: false,
    }));
    const saveMethod = async (c: CustomerPlan, instrument: string) => {
      const link = await until(
        async () => {
          const r = await retried('POST', `/customers/${c.externalId}/checkout_url`);
          return r.status === 200 ? (r.body.customer.checkout_url as string) : undefined;
        },
        120_000,
        500,
      );
      if (!link) return false;
      const session = new URL(link).pathname.split('/').pop() as string;
      const done = await until(
        async () => {
          const r = await controls.completeCheckout(session, { instrument });
          return r.ok ? true : undefined;
        },
        30_000,
        500,
      );
      return done === true;
    };
    type Follow = 'manual_payment' | 'void' | 'status' | 'credit_note' | 'retry' | 'replace_method' | 'edit';
    const invoices: {
      id: string;
      customer: CustomerPlan;
      total: number;
      fee: string;
      follow: Follow | null;
      noteKind: 'refund' | 'credit' | 'offset';
    }[] = [];
    const invoicePlans = Array.from({ length: options.invoices }, () => ({
      customer: plan.pick(customers),
      amount: plan.int(500, 90_000),
      follow: weighted<Follow | null>(plan, [
        [55, null],
        [6, 'manual_payment'],
        [3, 'void'],
        [3, 'status'],
        [15, 'credit_note'],
        [10, 'retry'],
        [4, 'replace_method'],
        [4, 'edit'],
      ]),
      noteKind: plan.pick(['refund', 'credit', 'offset'] as const),
    }));
    const followNow = async (id: string, p: (typeof invoicePlans)[number], total: number) => {
      if (p.follow === 'manual_payment') {
        await retried('POST', '/payments', {
          payment: {
            invoice_id: id,
            amount_cents: Math.max(1, Math.floor(total / 3)),
            reference: `manual-${id}`,
          },
        });
      } else if (p.follow === 'void') {
        await retried('POST', `/invoices/${id}/void`);
      } else if (p.follow === 'status') {
        await retried('PUT', `/invoices/${id}`, {
          invoice: { payment_status: plan.pick(['succeeded', 'failed']) },
        });
      } else if (p.follow === 'edit') {
        await call('POST', '/customers', {
          customer: { external_id: p.customer.externalId, name: `Renamed ${p.customer.externalId}` },
        });
      }
    };
    const createInvoice = async (p: (typeof invoicePlans)[number]) => {
      const created = await retried('POST', '/invoices', {
        invoice: {
          external_customer_id: p.customer.externalId,
          currency: p.customer.currency,
          fees: [{ add_on_code: `service_${p.customer.currency}`, unit_amount_cents: p.amount, units: 1 }],
        },
      });
      if (created.status !== 200) return;
      const invoice = created.body.invoice;
      progress.invoicesCreated += 1;
      invoices.push({
        id: invoice.lago_id,
        customer: p.customer,
        total: invoice.total_amount_cents,
        fee: invoice.fees?.[0]?.lago_id,
        follow: p.follow,
        noteKind: p.noteKind,
      });
      await followNow(invoice.lago_id, p, invoice.total_amount_cents);
    };
    const plansOf = new Map<CustomerPlan, (typeof invoicePlans)[number][]>();
    for (const p of invoicePlans) plansOf.set(p.customer, [...(plansOf.get(p.customer) ?? []), p]);
    const setUpCustomer = async (c: CustomerPlan) => {
      const created = await retried('POST', '/customers', {
        customer: {
          external_id: c.externalId,
          name: `Customer ${c.externalId}`,
          email: `${c.externalId}@example.test`,
          currency: c.currency,
          billing_configuration: {
            payment_provider: 'stripe',
            payment_provider_code: connection.stripe_connection.code,
            sync_with_provider: true,
            provider_payment_methods: METHOD_TYPES[c.method],
          },
        },
      });
      if (created.status !== 200) return;
      const linked = await until(
        async () => {
          const got = await call('GET', `/customers/${c.externalId}`);
          return got.body?.customer?.billing_configuration?.provider_customer_id ?? undefined;
        },
        180_000,
        400,
      );
      if (!linked) return;
      if (!(await saveMethod(c, c.instrument))) return;
      const hasDefault = await until(
        async () => {
          const got = await call('GET', `/customers/${c.externalId}/payment_methods`);
          return got.body?.payment_methods?.some((m: { is_default: boolean }) => m.is_default)
            ? true
            : undefined;
        },
        120_000,
        400,
      );
      c.ready = hasDefault === true;
      progress.customersReady += c.ready ? 1 : 0;
    };
    // Each lane sets a customer up (Stripe customer, a method saved through hosted checkout, the
    // default set), then bills it its invoices, while other lanes wait on their customers' setup.
    // A lane spends most of a setup waiting (polls back off), so there are four per unit of
    // concurrency here.
    await pool(
      customers,
      async (c) => {
        await setUpCustomer(c);
        for (const p of plansOf.get(c) ?? []) {
          if (Date.now() - driveStarted >= driveBudgetMs) break;
          await createInvoice(p);
        }
      },
      concurrency * 4,
    );
    log(`chaos: ${customers.filter((c) => c.ready).length}/${customers.length} customers ready`);
    await call('PUT', `/stripe_connections/${connection.stripe_connection.lago_id}`, {
      stripe_connection: { name: 'Stripe (chaos, renamed)' },
    });
    log(`chaos: ${invoices.length} invoices created in ${Math.round((Date.now() - driveStarted) / 1000)} s`);

    // Later operations on settled invoices: refunds and credit notes, retries, disputes.
    await pool(invoices, async (inv) => {
      progress.followedUp += 1;
      if (inv.follow !== 'credit_note' && inv.follow !== 'retry' && inv.follow !== 'replace_method') return;
      const got = await retried('GET', `/invoices/${inv.id}`);
      const state = got.body?.invoice;
      if (!state) return;
      if (inv.follow === 'credit_note') {
        const amount = Math.max(1, Math.floor(inv.total / 4));
        const kind = inv.noteKind;
        if (kind === 'refund' && state.payment_status !== 'succeeded') return;
        await retried('POST', '/credit_notes', {
          credit_note: {
            invoice_id: inv.id,
            reason: 'other',
            credit_amount_cents: kind === 'credit' ? amount : 0,
            refund_amount_cents: kind === 'refund' ? amount : 0,
            offset_amount_cents: kind === 'offset' ? amount : 0,
            items: [{ fee_id: inv.fee, amount_cents: amount }],
          },
        });
      } else if (state.payment_status === 'failed') {
        if (inv.follow === 'replace_method') await saveMethod(inv.customer, 'card_visa');
        await retried('POST', `/invoices/${inv.id}/retry_payment`);
      }
    });
    // Disputes: close each open one, won or lost.
    try {
      for await (const dispute of stripe.disputes.list({ limit: 100 })) {
        if (dispute.status === 'won' || dispute.status === 'lost') continue;
        const outcome = plan.pick(['won', 'lost'] as const);
        await controls.closeDispute(dispute.id, outcome);
        count(`dispute ${outcome}`);
      }
    } catch (error) {
      log(`chaos: closing disputes failed: ${(error as Error).message}`);
    }

    // Every fault window lasts its full length, however quick the operations were.
    const driveMs = Date.now() - driveStarted;
    await Promise.race([Promise.all(background.slice(-2)), sleep(Math.max(0, driveBudgetMs - driveMs))]);
    driving = false;
    stopDriving.abort();
    await Promise.all(background);
    const driveEnded = Date.now();

    // ---- quiesce ----
    log('chaos: quiescing');
    await controls.clearFaults();
    stripeFaultsOn = false;
    await controls.releaseDeliveries({ order: 'fifo' });
    webhookProxy.dropChance = 0;
    merchant.comeBack();
    for (const p of system.all) if (!p.running()) await restart(p);
    const quiesceStarted = Date.now();
    const quiesceTimeoutMs = options.quiesceTimeoutMs ?? 8 * 60_000;
    const db = database;
    const count1 = async (query: string, params: unknown[] = []) => {
      const r = await db.orm.em.getConnection().execute(query, params);
      return (r[0] as { n: number }).n;
    };
    // Jobs still to run, the sweep's own jobs aside (it queues re-reads every minute).
    const busyJobs = () =>
      count1(
        `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')
           and name not in ('payment.reconcile_sweep', 'payment.reconcile', '__pgboss__send-it')`,
      );
    const rereads = () =>
      count1(
        `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and name = 'payment.reconcile'`,
      );
    const sweepsSince = (since: number) =>
      count1(
        `select count(*)::int as n from pgboss.job where name = 'payment.reconcile_sweep' and state = 'completed' and completed_on > ?`,
        [new Date(since)],
      );
    const undelivered = () =>
      count1(
        `select count(*)::int as n from webhook_events e where e.organization_id = ? and not exists (
           select 1 from webhook_deliveries d where d.event_id = e.id and d.succeeded)`,
        [org.organizationId],
      );
    // Bank debits and pending refunds settle; nothing else is left on the emulator clock that
    // matters (checkout links expire after a day, which would start new work every time).
    for (let i = 0; i < 3; i++) await controls.advanceClock(200);
    let quietSince = 0;
    let lastReport = 0;
    while (Date.now() - quiesceStarted < quiesceTimeoutMs) {
      await controls.waitForDeliveries({ timeoutMs: 60_000 }).catch(() => undefined);
      const [busy, pending] = [await busyJobs(), await undelivered()];
      if (busy === 0 && pending === 0) {
        quietSince ||= Date.now();
        // Two sweeps after everything went quiet, and the re-reads they queued done.
        const sweeps = await sweepsSince(quietSince);
        if (sweeps >= 2 && (await rereads()) === 0) break;
      } else {
        quietSince = 0;
      }
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        log(`chaos: quiescing: ${busy} jobs to run, ${pending} outgoing webhooks undelivered`);
      }
      await sleep(2_000);
    }
    const quiesceMs = Date.now() - quiesceStarted;
    const cpuUsed = cpu.stop();
    log(`chaos: quiet after ${Math.round(quiesceMs / 1000)} s; checking`);

    const checked = await checkInvariants({
      stripe,
      controls,
      db,
      organizationId: org.organizationId,
      webhookProxy,
      merchant,
      serverErrors,
      quiescedAt: driveEnded,
    });
    return {
      ...checked,
      stuck: checked.stuck + stuckRequests.length,
      findings: [...checked.findings, ...stuckRequests],
      invoices: invoices.length,
      faults,
      kills,
      crashes,
      cpu: cpuUsed,
      operations,
      operationErrors,
      stripeUnavailable,
      durationMs: Date.now() - started,
      driveMs: driveEnded - driveStarted,
      quiesceMs,
      logDir,
    };
  } catch (error) {
    keep = true;
    log(`chaos: the run failed (${(error as Error).message}); keeping database ${dbName} to look at`);
    throw error;
  } finally {
    await running?.stop(30_000).catch(() => undefined);
    await database?.close().catch(() => undefined);
    await webhookProxy.stop().catch(() => undefined);
    await merchant.stop().catch(() => undefined);
    await pgProxy.stop().catch(() => undefined);
    if (!options.keepDatabase && !keep) {
      await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    }
    await admin.end();
  }
}
