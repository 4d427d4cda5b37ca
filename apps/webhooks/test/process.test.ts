/**
 * The webhook receiver as production runs it: `node apps/webhooks/dist/main.js` as a real child
 * process on an empty schema. A request in flight when SIGTERM arrives is answered, with the
 * database still open, before the process exits.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  type ChildService,
  freePort,
  freshSchema,
  spawnService,
  testDatabaseTarget,
  waitForHttp,
  waitUntilRefused,
} from '@payrail/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the webhook receiver process', () => {
  const { url } = testDatabaseTarget();
  const schema = freshSchema(url, 'proc_wh');
  let service: ChildService;
  let base: string;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnService(MAIN, {
      DATABASE_URL: url,
      DATABASE_SCHEMA: schema.name,
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      WEBHOOKS_PORT: String(port),
      LOG_LEVEL: 'silent',
    });
    await waitForHttp(`${base}/ready`, (s) => s === 200, { service });
  });

  afterAll(async () => {
    await service?.stop();
    await schema.drop();
  });

  it('answers /health and /ready, and counts rejected events on /metrics', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const rejected = await fetch(`${base}/webhooks/stripe/${randomUUID()}?code=nope`, {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=00' },
      body: '{}',
    });
    expect(rejected.status).toBe(400);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/payrail_stripe_webhooks_received_total\{outcome="rejected",service="webhooks"\} 1/);
    expect(text).toMatch(
      /payrail_http_requests_total\{route="\/webhooks\/stripe\/:organizationId",method="POST",status="400",service="webhooks"\} 1/,
    );
  });

  it('on SIGTERM stops accepting, answers the request in flight from the database, then exits 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = '{"id":"evt_1"}';
    const req = request(`${base}/webhooks/stripe/${randomUUID()}?code=late`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'stripe-signature': 't=1,v1=00',
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

    service.child.kill('SIGTERM');
    // New connections are refused once the server has stopped accepting.
    await waitUntilRefused(`${base}/health`);
    req.end(body);
    const response = await answered;
    // Not 503: the connection lookup still reached the database.
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ code: 'unknown_connection' });
    expect(await service.exited()).toBe(0);
    agent.destroy();
  });
});
