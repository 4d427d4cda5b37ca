/**
 * The API as production runs it: `node apps/api/dist/main.js` as a real child process, configured
 * by the environment, on an empty schema, reaching PostgreSQL through a proxy the test can cut.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { openDatabase, SecretBox } from '@payrail/persistence';
import {
  appliedMigrationNames,
  type ChildService,
  freePort,
  freshSchema,
  spawnService,
  startTcpProxy,
  type TcpProxy,
  testDatabaseTarget,
  waitForHttp,
  waitUntilRefused,
} from '@payrail/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function apiEnv(databaseUrl: string, schema: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    API_PORT: String(port),
    LOG_LEVEL: 'warn',
  };
}

describe('the API process', () => {
  const { url, embedded } = testDatabaseTarget();
  const schema = freshSchema(url, 'proc_api');
  let proxy: TcpProxy;
  let api: ChildService;
  let base: string;

  beforeAll(async () => {
    proxy = await startTcpProxy(url);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawnService(MAIN, apiEnv(proxy.url, schema.name, port));
    await waitForHttp(`${base}/health`, (s) => s === 200, { service: api });
  });

  afterAll(async () => {
    await api?.stop();
    await proxy?.stop();
    await schema.drop();
  });

  it('starts on an empty schema by applying every migration', async () => {
    expect(await appliedMigrationNames(url, schema.name)).toContain('Migration20261126000000Initial');
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true } });
  });

  it('serves Prometheus metrics: requests by route template and status, with latency histograms', async () => {
    await fetch(`${base}/api/v1/customers/nobody`); // 401 without a key
    await fetch(`${base}/no/such/page`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /payrail_http_requests_total\{route="\/api\/v1\/customers\/:external_customer_id",method="GET",status="401",service="api"\} 1/,
    );
    expect(text).toMatch(
      /payrail_http_requests_total\{route="unmatched",method="GET",status="404",service="api"\} 1/,
    );
    expect(text).toContain('payrail_http_request_duration_seconds_bucket{le="0.005"');
    expect(text).toContain('# TYPE payrail_stripe_requests_total counter');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('is not ready while PostgreSQL is unreachable, and ready again by itself once it is back', async () => {
    await proxy.stop();
    const down = await waitForHttp(`${base}/ready`, (s) => s === 503, { service: api });
    expect(JSON.parse(down.body)).toEqual({ status: 'not_ready', checks: { database: false } });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    await proxy.start();
    await waitForHttp(`${base}/ready`, (s) => s === 200, { service: api });
  });

  it('on SIGTERM stops accepting, finishes the request in flight with the database open, then exits 0', async () => {
    const db = await openDatabase({
      url,
      schema: schema.name,
      embedded,
      migrate: false,
      secretBox: new SecretBox(randomBytes(32)),
      queueMaintenance: false,
    });
    let key: string;
    try {
      const org = await db.organizations.create({ name: 'Graceful', documentNumberPrefix: 'GRA-1' });
      key = (await db.organizations.createApiKey(org.id)).key;
    } finally {
      await db.close();
    }
    const body = JSON.stringify({
      add_on: { name: 'Setup', code: 'setup', amount_cents: 1000, amount_currency: 'EUR' },
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const req = request(`${base}/api/v1/add_ons`, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        // The server answers 100 Continue once it holds the request: from then on it is in flight.
        expect: '100-continue',
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    await new Promise<void>((resolve) => req.on('continue', () => resolve()));
    api.child.kill('SIGTERM');
    await waitUntilRefused(`${base}/health`);
    req.end(body);
    const response = await answered;
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ add_on: { code: 'setup', amount_cents: 1000 } });
    expect(await api.exited()).toBe(0);
    agent.destroy();
  });
});

describe('two API processes starting at once on an empty schema', () => {
  const { url } = testDatabaseTarget();
  const schema = freshSchema(url, 'proc_api2');
  const services: ChildService[] = [];

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await schema.drop();
  });

  it('both come up, and each migration is applied exactly once', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) services.push(spawnService(MAIN, apiEnv(url, schema.name, port)));
    await Promise.all(
      ports.map((port, i) =>
        waitForHttp(`http://127.0.0.1:${port}/ready`, (s) => s === 200, { service: services[i] }),
      ),
    );
    const applied = await appliedMigrationNames(url, schema.name);
    expect(applied.length).toBeGreaterThanOrEqual(3);
    expect(new Set(applied).size).toBe(applied.length);
  });
});

describe('an API process told not to migrate, on an empty schema', () => {
  const { url } = testDatabaseTarget();
  const schema = freshSchema(url, 'proc_api3');

  afterAll(async () => {
    await schema.drop();
  });

  it('stops with one line naming the command to run', async () => {
    const service = spawnService(MAIN, {
      ...apiEnv(url, schema.name, await freePort()),
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'error',
    });
    expect(await service.exited()).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs \d+ migration\(s\).*pnpm --filter @payrail\/persistence db:migrate/);
  });
});
