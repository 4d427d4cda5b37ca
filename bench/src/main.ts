/**
 * `pnpm bench [--large] [--seconds N] [--rounds N] [--profile DIR] [--skip-embedded]
 *   [--skip-collection] [--skip-api] [--collection-invoices N] [--only NAME]`
 *
 * Every benchmark in one run, printed as one table. The production processes (API, webhook
 * receiver, a worker; `node apps/<app>/dist/main.js`) run on a fresh PostgreSQL database
 * (`payrail_bench_<pid>` on DATABASE_URL's server, so two runs never share one; dropped at the end); the ceiling (a minimal Hono + pg
 * server doing the same statements) runs beside them as its own process; the load generator
 * (autocannon) runs in a process of its own for each measurement. Figures are ratios measured in
 * the same run, so they compare across machines and loads; absolute numbers do not.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { freePort, type RunningProcesses, startProcesses } from '@payrail/standalone';
import pg from 'pg';
import type { CollectionResult } from './collection.js';
import { embeddedIdleRss } from './embedded.js';
import type { LoadResult, LoadSpec } from './load.js';
import { backendsCpuBetween, backendsCpuSeconds, cpuSeconds, drive, RssSampler } from './measure.js';
import { growLargeTenant, type Seeded, seed } from './seed.js';
import { printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'string' },
    'skip-embedded': { type: 'boolean', default: false },
    'skip-collection': { type: 'boolean', default: false },
    /** Only the collection runs: no API loads, worker drain or embedded start. */
    'skip-api': { type: 'boolean', default: false },
    /** Invoices billed in each collection run (at 100 and at 25 requests/s). */
    'collection-invoices': { type: 'string', default: '1000' },
    /** Only the loads whose name contains this (e.g. `ingest`, `invoices`). */
    only: { type: 'string' },
    'keep-database': { type: 'boolean', default: false },
  },
  strict: true,
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const SMALL = 10_000;
const LARGE = 1_000_000;
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = `payrail_bench_${process.pid}`;
const databaseUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const log = (line: string) => console.error(`bench: ${line}`);
/** Stops what the run started; set once there is something to stop. */
let cleanup: () => Promise<void> = async () => undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    // The processes under test and the ceiling are children of their own: stopped, not orphaned.
    void cleanup().finally(() => process.exit(130));
  });

interface Target {
  readonly name: string;
  /** What the process under test is, for memory sampling. */
  readonly role: 'api' | 'webhooks';
  readonly goal: number;
  readonly p99GoalMs?: number;
  spec(base: string): LoadSpec;
}

/** A load's result with the CPU each side spent per 2xx answer (ms), in Node and in PostgreSQL. */
interface Run extends LoadResult {
  readonly nodeCpuMs: number | null;
  readonly postgresCpuMs: number;
}

interface Measured {
  readonly product: Run;
  readonly ceiling: Run;
}

/** Drives one load and reads the CPU time the server process and the database's backends used. */
async function driveCounting(spec: LoadSpec, pid: number | undefined): Promise<Run> {
  const [node0, pg0] = await Promise.all([cpuSeconds(pid), backendsCpuSeconds(dbName)]);
  const result = await drive(spec);
  const [node1, pg1] = await Promise.all([cpuSeconds(pid), backendsCpuSeconds(dbName)]);
  const answers = Math.max(1, result.ok);
  return {
    ...result,
    nodeCpuMs: node0 === null || node1 === null ? null : ((node1 - node0) * 1000) / answers,
    postgresCpuMs: (backendsCpuBetween(pg0, pg1) * 1000) / answers,
  };
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '?' : v.toFixed(2));
const kb = (v: number | undefined) => (v === undefined ? '?' : (v / 1024).toFixed(1));

function targets(s: Seeded, ceilingWebhookQuery: string): Target[] {
  const read = { authorization: `Bearer ${s.reads.apiKey}` };
  const write = { authorization: `Bearer ${s.writes.apiKey}`, 'content-type': 'application/json' };
  const invoiceBodies = s.writes.customers.map((externalId) =>
    JSON.stringify({
      invoice: { external_customer_id: externalId, fees: [{ add_on_code: s.writes.addOn }] },
    }),
  );
  return [
    {
      name: 'GET /customers/{id}',
      role: 'api',
      goal: 0.6,
      p99GoalMs: 50,
      spec: (base) => ({
        url: `${base}/api/v1/customers/${s.reads.customer}`,
        method: 'GET',
        headers: read,
        connections: 20,
        seconds,
      }),
    },
    {
      name: 'GET /invoices?per_page=20',
      role: 'api',
      goal: 0.5,
      p99GoalMs: 50,
      spec: (base) => ({
        url: `${base}/api/v1/invoices?per_page=20&page=1`,
        method: 'GET',
        headers: read,
        connections: 20,
        seconds,
      }),
    },
    {
      name: 'POST /invoices (one fee)',
      role: 'api',
      goal: 0.5,
      p99GoalMs: 50,
      spec: (base) => ({
        url: `${base}/api/v1/invoices`,
        method: 'POST',
        headers: write,
        bodies: invoiceBodies,
        connections: 20,
        seconds,
      }),
    },
    {
      name: 'webhook ingest (50 conn.)',
      role: 'webhooks',
      goal: 0.8,
      spec: (base) => ({
        url: `${base}/webhooks/stripe/${s.ingest.organizationId}?code=${s.ingest.code}${ceilingWebhookQuery}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        stripeEvent: { secret: s.ingest.secret },
        connections: 50,
        seconds,
      }),
    },
  ];
}

function startCeiling(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'bench/dist/ceiling.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolveStarted, reject) => {
    const deadline = Date.now() + 15_000;
    const probe = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return resolveStarted(child);
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error('ceiling did not start'));
      setTimeout(probe, 100);
    };
    void probe();
  });
}

interface Profiling {
  readonly dir: string;
  readonly pid: (role: Target['role']) => number | undefined;
  readonly suffix: string;
}

/** Starts, or stops and names, the CPU profile of a process preloaded with cpu-profile.js. */
async function toggleProfile(profiling: Profiling | null, target: Target): Promise<void> {
  if (!profiling) return;
  const pid = profiling.pid(target.role);
  if (!pid) return;
  const name = `${target.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}${profiling.suffix}`;
  await writeFile(join(profiling.dir, target.role, 'next'), name);
  process.kill(pid, 'SIGUSR2');
}

async function measureAll(
  list: readonly Target[],
  bases: { product: Record<Target['role'], string>; ceiling: string },
  pids: { product: (role: Target['role']) => number | undefined; ceiling: number | undefined },
  sampler: RssSampler,
  profiling: Profiling | null,
): Promise<Map<string, Measured>> {
  const out = new Map<string, Measured>();
  for (const target of list) {
    const product = target.spec(bases.product[target.role]);
    const ceiling = target.spec(bases.ceiling);
    // Warm-up: JIT, pools, caches, on both.
    await drive({ ...ceiling, seconds: 2 });
    await drive({ ...product, seconds: 2 });
    const runs: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate the order, so neither side always runs on a warmer (or busier) machine.
      const first = round % 2 === 0 ? 'ceiling' : 'product';
      const results: { product?: Run; ceiling?: Run } = {};
      for (const side of first === 'ceiling'
        ? (['ceiling', 'product'] as const)
        : (['product', 'ceiling'] as const)) {
        if (side === 'product') {
          sampler.start();
          if (round === 0) await toggleProfile(profiling, target);
        }
        results[side] =
          side === 'product'
            ? await driveCounting(product, pids.product(target.role))
            : await driveCounting(ceiling, pids.ceiling);
        if (side === 'product') {
          sampler.stop();
          if (round === 0) await toggleProfile(profiling, target);
        }
      }
      runs.push(results as Measured);
      const { product: p, ceiling: c } = results;
      log(
        `${target.name}: product ${p?.rps.toFixed(0)}/s p99 ${p?.p99} ms (CPU per answer: node ${ms(p?.nodeCpuMs)} ms, postgres ${ms(p?.postgresCpuMs)} ms; ${kb(p?.bytesPerAnswer)} kB), ` +
          `ceiling ${c?.rps.toFixed(0)}/s p99 ${c?.p99} ms (node ${ms(c?.nodeCpuMs)} ms, postgres ${ms(c?.postgresCpuMs)} ms; ${kb(c?.bytesPerAnswer)} kB)`,
      );
    }
    // The median round by ratio.
    runs.sort((a, b) => a.product.rps / a.ceiling.rps - b.product.rps / b.ceiling.rps);
    out.set(target.name, runs[Math.floor(runs.length / 2)] as Measured);
  }
  return out;
}

async function countPending(client: pg.Client): Promise<number> {
  const { rows } = await client.query(
    `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now()`,
  );
  return rows[0].n as number;
}

async function main(): Promise<void> {
  if (values['skip-api']) {
    const loadAtStart = loadavg();
    return report(await collectionRows(), [], loadAtStart);
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  // A server restarted under the run (another suite's doing) ends it with a message, not a crash.
  admin.on('error', (error) => log(`admin connection: ${error.message}`));
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.query(`create database "${dbName}"`);
  const logDir = await mkdtemp(join(tmpdir(), 'payrail-bench-'));
  log(`database ${dbName}, process logs in ${logDir}`);
  const encryptionKey = randomBytes(32).toString('hex');
  let running: RunningProcesses | null = null;
  let ceiling: ChildProcess | null = null;
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', (error) => log(`database connection: ${error.message}`));
  let cleaned = false;
  cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (running) {
      for (const w of running.workers) {
        const pid = w.pid();
        if (pid && w.running()) process.kill(pid, 'SIGCONT');
      }
      await running.stop();
    }
    ceiling?.kill('SIGTERM');
    await db.end().catch(() => undefined);
    if (!values['keep-database'])
      await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
  const rows: Row[] = [];
  const cpu: { name: string; product: Run; ceiling: Run }[] = [];
  const loadAtStart = loadavg();
  try {
    const profileDir = values.profile ? resolve(values.profile) : null;
    const profiled = (role: string): Record<string, string> => {
      if (!profileDir) return {};
      return {
        NODE_OPTIONS: `--import ${join(repoRoot, 'bench/dist/cpu-profile.js')}`,
        CPU_PROFILE_DIR: join(profileDir, role),
      };
    };
    if (profileDir) {
      await mkdir(join(profileDir, 'api'), { recursive: true });
      await mkdir(join(profileDir, 'webhooks'), { recursive: true });
    }
    running = await startProcesses({
      databaseUrl,
      encryptionKey,
      signingKeyPem: WebhookSigningKey.generate().privateKeyPem(),
      workers: 1,
      // Nothing here calls Stripe; an address that refuses keeps it that way.
      stripeApiBase: 'http://127.0.0.1:9',
      output: { logDir },
      // A shared machine under load can take long to start a process.
      readyTimeoutMs: 180_000,
      roleEnv: { api: profiled('api'), webhooks: profiled('webhooks') },
    });
    const worker = running.workers[0];
    const workerPid = worker?.pid();
    // The worker drains what the loads queued afterwards, not while the servers are measured.
    if (workerPid) process.kill(workerPid, 'SIGSTOP');
    const ceilingPort = await freePort();
    ceiling = await startCeiling(ceilingPort);
    await db.connect();

    log('seeding');
    const seeded = await seed({ databaseUrl, encryptionKey, apiUrl: running.apiUrl });
    await growLargeTenant(db, seeded.large, SMALL);

    const processes = () =>
      new Map([
        ['api', running?.api.pid()],
        ['webhooks', running?.webhooks.pid()],
        ['worker', running?.workers[0]?.pid()],
      ]);
    const sampler = new RssSampler(processes);
    const list = targets(seeded, `&connection=${seeded.ingest.connectionId}`).filter(
      (t) => values.only === undefined || t.name.includes(values.only),
    );
    const bases = {
      product: { api: running.apiUrl, webhooks: running.webhooksUrl },
      ceiling: `http://127.0.0.1:${ceilingPort}`,
    };
    log(`measuring with ${SMALL.toLocaleString('en')} invoices and inbox events stored`);
    const productPid = (role: Target['role']) =>
      role === 'api' ? running?.api.pid() : running?.webhooks.pid();
    const profiling = (suffix: string): Profiling | null =>
      profileDir ? { dir: profileDir, suffix, pid: productPid } : null;
    const pids = { product: productPid, ceiling: ceiling.pid };
    const small = await measureAll(list, bases, pids, sampler, profiling(''));
    for (const target of list) {
      const m = small.get(target.name);
      if (m) cpu.push({ name: target.name, product: m.product, ceiling: m.ceiling });
    }
    for (const target of list) {
      const m = small.get(target.name);
      if (!m) continue;
      rows.push({
        figure: `${target.name}, req/s`,
        value: m.product.rps,
        reference: `ceiling ${m.ceiling.rps.toFixed(0)}/s`,
        ratio: m.product.rps / m.ceiling.rps,
        goal: `≥ ${target.goal}×`,
        met: m.product.rps / m.ceiling.rps >= target.goal,
        refused: m.product.refused + m.product.errors,
      });
      if (target.p99GoalMs !== undefined) {
        rows.push({
          figure: `${target.name}, p99 ms`,
          value: m.product.p99,
          reference: `ceiling ${m.ceiling.p99} ms`,
          ratio: null,
          goal: `≤ ${target.p99GoalMs} ms`,
          met: m.product.p99 <= target.p99GoalMs,
        });
      }
    }

    if (values.large) {
      log(`growing the large tenant to ${LARGE.toLocaleString('en')} invoices and inbox events`);
      await growLargeTenant(db, seeded.large, LARGE);
      log(`measuring with ${LARGE.toLocaleString('en')} stored`);
      const large = await measureAll(list, bases, pids, sampler, profiling('_1M'));
      for (const target of list) {
        const before = small.get(target.name);
        const after = large.get(target.name);
        if (!before || !after) continue;
        rows.push({
          figure: `${target.name} at 1M stored, req/s`,
          value: after.product.rps,
          reference: `at 10k ${before.product.rps.toFixed(0)}/s`,
          ratio: after.product.rps / before.product.rps,
          goal: '≥ 0.8×',
          met: after.product.rps / before.product.rps >= 0.8,
          refused: after.product.refused + after.product.errors,
        });
      }
    }

    // The worker drains the jobs the loads queued (inbox events, webhook deliveries, collections).
    if (workerPid) {
      const pending = await countPending(db);
      log(`worker: draining ${pending} jobs`);
      process.kill(workerPid, 'SIGCONT');
      const started = Date.now();
      sampler.start();
      let left = pending;
      while (left > 0 && Date.now() - started < 60_000) {
        await new Promise((r) => setTimeout(r, 1000));
        left = await countPending(db);
      }
      sampler.stop();
      const elapsed = (Date.now() - started) / 1000;
      rows.push({
        figure: 'worker: queued jobs drained, jobs/s',
        value: (pending - left) / elapsed,
        reference: `${pending - left} of ${pending} in ${elapsed.toFixed(0)} s`,
        ratio: null,
        goal: 'n/a',
        met: null,
      });
    }
    await sampler.sample();
    for (const name of ['api', 'webhooks', 'worker']) {
      const mb = sampler.peak.get(name);
      if (mb === undefined) continue;
      rows.push({
        figure: `${name} process peak RSS, MB`,
        value: mb,
        reference: 'under the loads above',
        ratio: null,
        goal: '< 200 MB',
        met: mb < 200,
      });
    }
    if (!values['skip-embedded']) {
      const idle = await embeddedIdleRss(repoRoot);
      rows.push({
        figure: 'embedded start command, idle RSS, MB',
        value: idle,
        reference: 'one process: PGlite, emulator, 3 apps',
        ratio: null,
        goal: 'n/a',
        met: null,
      });
    }
  } finally {
    await cleanup();
  }
  if (!values['skip-collection']) rows.push(...(await collectionRows()));
  report(rows, cpu, loadAtStart);
}

function report(
  rows: readonly Row[],
  cpu: readonly { name: string; product: Run; ceiling: Run }[],
  loadAtStart: number[],
) {
  const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(' ');
  printTable(rows, {
    title: `pnpm bench${values.large ? ' --large' : ''}: ${seconds} s per measurement, ${rounds} round(s), ${new Date().toISOString().slice(0, 10)}, load average ${load(loadAtStart)} at start, ${load(loadavg())} at the end (${cpus().length} CPUs)`,
  });
  if (cpu.length > 0) {
    console.log(
      '\nCPU per answer, ms (median round; the server process, and the database backends it used):',
    );
    console.log('| load | product node | product postgres | ceiling node | ceiling postgres |');
    console.log('|---|--:|--:|--:|--:|');
    for (const c of cpu)
      console.log(
        `| ${c.name} | ${ms(c.product.nodeCpuMs)} | ${ms(c.product.postgresCpuMs)} | ${ms(c.ceiling.nodeCpuMs)} | ${ms(c.ceiling.postgresCpuMs)} |`,
      );
  }
  if (values.profile)
    log(`CPU profiles in ${values.profile}/{api,webhooks}: node bench/dist/profile.js <files>`);
}

/**
 * The collection pipeline under Stripe's rate limits, each run in processes of its own
 * (`collection.js`: API, receiver, worker, emulator, and the load): live mode's 100 requests/s
 * with the idle latency, then test mode's 25/s.
 */
async function collectionRows(): Promise<Row[]> {
  const invoices = Number(values['collection-invoices']);
  const runs = [
    { rate: 100, invoices, latencySamples: 40 },
    { rate: 25, invoices, latencySamples: 0 },
  ].filter((run) => values.only === undefined || `collection at ${run.rate} req/s`.includes(values.only));
  const out: Row[] = [];
  for (const run of runs) {
    log(`collection: ${run.invoices} invoices at ${run.rate} requests/s`);
    const result = await collectionRun(run);
    const cpu = Object.entries(result.cpuMsPerInvoice)
      .map(([role, ms]) => `${role} ${ms}`)
      .join(', ');
    log(`collection at ${run.rate} req/s: CPU ms per invoice ${cpu}`);
    out.push({
      figure: `collection at ${run.rate} req/s, invoices/s`,
      value: result.perSecond,
      reference: `limit ${run.rate}/s, ${result.invoices} invoices`,
      ratio: result.ratio,
      goal: '≥ 0.95×',
      met: result.ratio >= 0.95,
    });
    out.push({
      figure: `collection at ${run.rate} req/s, Stripe 429s`,
      value: result.stripeRequests.refused,
      reference: `of ${result.stripeRequests.admitted + result.stripeRequests.refused} requests`,
      ratio: null,
      goal: 'n/a',
      met: null,
    });
    out.push({
      figure: `collection at ${run.rate} req/s, duplicate PaymentIntents`,
      value: result.duplicates,
      reference: `${result.invoices} invoices`,
      ratio: null,
      goal: '0',
      met: result.duplicates === 0,
    });
    if (run.latencySamples > 0)
      out.push({
        figure: 'idle invoice to PaymentIntent, p99 ms',
        value: result.latency.p99,
        reference: `p50 ${result.latency.p50} ms, ${run.latencySamples} invoices`,
        ratio: null,
        goal: '≤ 200 ms',
        met: result.latency.p99 <= 200,
      });
  }
  return out;
}

function collectionRun(run: {
  rate: number;
  invoices: number;
  latencySamples: number;
}): Promise<CollectionResult> {
  const script = join(repoRoot, 'bench/dist/collection.js');
  const args = [
    script,
    '--invoices',
    String(run.invoices),
    '--customers',
    '25',
    '--rate',
    String(run.rate),
    '--latency-samples',
    String(run.latencySamples),
    '--json',
  ];
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1);
      if (code !== 0 || !line) return fail(new Error(`collection.js exited with ${code}`));
      ok(JSON.parse(line) as CollectionResult);
    });
  });
}

await main();
process.exit(0);
