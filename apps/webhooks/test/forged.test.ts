/**
 * Forged and hostile Stripe webhooks against the real receiver over HTTP, on a real database with
 * two organizations: every case is answered 400 or 413 (or 200 for a redelivered or unhandled
 * event) and adds no inbox row and no job. Prints `forged webhooks: N cases tried, stored 0`.
 */
import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { serve } from '@hono/node-server';
import { connectStripe, type StripeConnection } from '@payrail/domain';
import { createTestDatabase, type TestDatabase } from '@payrail/persistence/testing';
import { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { type RunningEmulator, startEmulator } from '@payrail/stripe-emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhooksApp } from '../src/app.js';
import { composeWebhooks } from '../src/compose.js';
import { stripeEvent } from './signing.js';

/** The receiver's limit (decision 0810). */
const MAX_STRIPE_EVENT_BYTES = 512 * 1024;

const sdk = new Stripe('sk_test_unused', { telemetry: false });

interface Tenant {
  readonly organizationId: string;
  readonly code: string;
  readonly secret: string;
  readonly path: string;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

type Expected = 400 | 413 | 'duplicate' | 'ignored';

interface Case {
  readonly name: string;
  readonly expected: Expected;
  readonly send: () => Promise<Answer>;
}

let db: TestDatabase;
let emulator: RunningEmulator;
let server: ReturnType<typeof serve>;
let base: string;
let port: number;
let a: Tenant;
let b: Tenant;

const now = () => Math.floor(Date.now() / 1000);

function sign(
  payload: string,
  secret: string,
  options: { timestamp?: number; scheme?: string } = {},
): string {
  return sdk.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: options.timestamp ?? now(),
    ...(options.scheme ? { scheme: options.scheme } : {}),
  });
}

/** The `v1=…` part of a header made by `sign`. */
const v1Of = (header: string) => header.split(',')[1] as string;

async function post(path: string, body: string | Buffer, signature?: string): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'stripe-signature': signature }),
    },
  });
  return { status: res.status, body: await res.text() };
}

/**
 * POSTs `prefix` and then filler up to `total` bytes (`Infinity`: without end) as
 * `Transfer-Encoding: chunked`, with no `Content-Length`, until the receiver answers.
 */
function postChunked(
  path: string,
  signature: string,
  prefix: string,
  total = prefix.length,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
          req.destroy();
        });
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const filler = Buffer.alloc(16 * 1024, ' ');
    const pump = () => {
      while (!answered && sent < total) {
        const piece =
          sent === 0 ? Buffer.from(prefix) : filler.subarray(0, Math.min(filler.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Bytes straight onto a socket, for requests no HTTP client would send; the status line is read. */
function raw(head: string, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      socket.destroy();
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (/\r\n\r\n/.test(text)) {
        const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
        if (text.length - text.indexOf('\r\n\r\n') - 4 >= length) done();
      }
    });
    socket.on('end', done);
    socket.on('error', (error) => (text ? done() : reject(error)));
    socket.write(`${head.replace(/\n/g, '\r\n')}\r\n\r\n${body}`, 'latin1');
  });
}

async function inboxRows(): Promise<number> {
  const [row] = (await db.orm.em
    .fork()
    .execute(`select count(*)::int as n from "${db.schema}".stripe_inbox_events`)) as { n: number }[];
  return row?.n ?? 0;
}

const jobs = () => db.queue.pendingCount(['stripe.process_event']);

async function connectTenant(organizationId: string, code: string): Promise<StripeConnection> {
  const connected = await connectStripe({
    ctx: {
      uow: db.unitOfWork,
      gateways: new StripeGatewayFactory({ apiBase: emulator.url }),
      clock: { now: () => new Date() },
      ids: { next: () => crypto.randomUUID() },
      settings: { publicBaseUrl: base },
    },
    input: { organizationId, name: 'Stripe', code, secretKey: `sk_test_forged_${code}` },
  });
  if (!connected.ok) throw new Error(connected.error.message);
  return connected.value;
}

async function tenant(name: string, code: string): Promise<Tenant> {
  const organizationId = (await db.organizations.create({ name, documentNumberPrefix: name.slice(0, 3) })).id;
  const connection = await connectTenant(organizationId, code);
  return {
    organizationId,
    code,
    secret: connection.webhookEndpoint.signingSecret.reveal(),
    path: `/webhooks/stripe/${organizationId}?code=${code}`,
  };
}

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'forged' });
  emulator = await startEmulator({ port: 0 });
  const app = createWebhooksApp(composeWebhooks({ db }));
  port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
  a = await tenant('Acme', 'stripe_a');
  b = await tenant('Globex', 'stripe_b');
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await emulator?.stop();
  await db?.dispose();
});

/** A's genuine event, stored by the first control and then sent again by the duplicate cases. */
const original = stripeEvent('payment_intent.succeeded');
const originalBody = JSON.stringify(original);

describe('genuine events are stored (controls, so that "stored 0" below means something)', () => {
  it('stores a correctly signed event, one among several v1 signatures and a v0, and a chunked one', async () => {
    const rows = await inboxRows();
    expect((await post(a.path, originalBody, sign(originalBody, a.secret))).status).toBe(200);

    // Stripe sends several v1 while a secret rolls and a fake v0 in test mode: one right v1 is enough.
    const rolled = JSON.stringify(stripeEvent('payment_intent.processing'));
    const header = `t=${now()},v1=${'0'.repeat(64)},${v1Of(sign(rolled, a.secret))},${v1Of(sign(rolled, 'whsec_old'))},v0=${'1'.repeat(64)}`;
    const res = await post(a.path, rolled, header);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: true, duplicate: false });

    const chunked = JSON.stringify(stripeEvent('refund.updated'));
    expect((await postChunked(b.path, sign(chunked, b.secret), chunked)).status).toBe(200);
    expect(await inboxRows()).toBe(rows + 3);
  });
});

describe('forged and hostile webhooks store nothing', () => {
  const event = (type = 'payment_intent.succeeded', overrides: Record<string, unknown> = {}) =>
    JSON.stringify(stripeEvent(type, overrides));
  const otherOrganization = '00000000-0000-4000-8000-000000000000';

  const cases: Case[] = [
    // Who signed it
    {
      name: 'signed with another secret',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, sign(body, 'whsec_attacker'));
      },
    },
    { name: 'no Stripe-Signature header', expected: 400, send: () => post(a.path, event()) },
    {
      name: 'body changed after signing',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body.replace('pi_123', 'pi_999'), sign(body, a.secret));
      },
    },
    {
      name: 'body re-serialised after signing',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, JSON.stringify(JSON.parse(body), null, 2), sign(body, a.secret));
      },
    },
    // Whose URL
    {
      name: "A's organization with B's code, signed with B's secret",
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/${a.organizationId}?code=${b.code}`, body, sign(body, b.secret));
      },
    },
    {
      name: "A's organization with B's code, signed with A's secret",
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/${a.organizationId}?code=${b.code}`, body, sign(body, a.secret));
      },
    },
    {
      name: "B's organization with A's code, signed with A's secret",
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/${b.organizationId}?code=${a.code}`, body, sign(body, a.secret));
      },
    },
    {
      name: "A's correctly signed event sent to B's URL",
      expected: 400,
      send: () => {
        const body = event();
        return post(b.path, body, sign(body, a.secret));
      },
    },
    {
      name: "A's signature header of the event A stored, replayed to B's URL",
      expected: 400,
      send: () => post(b.path, originalBody, sign(originalBody, a.secret)),
    },
    {
      name: "an unknown organization with A's code and signature",
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/${otherOrganization}?code=${a.code}`, body, sign(body, a.secret));
      },
    },
    {
      name: 'an organization id that is not a UUID',
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/1%20or%201=1?code=${a.code}`, body, sign(body, a.secret));
      },
    },
    {
      name: 'no connection code',
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/${a.organizationId}`, body, sign(body, a.secret));
      },
    },
    // When
    {
      name: 'timestamp 301 s old (replay)',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, sign(body, a.secret, { timestamp: now() - 301 }));
      },
    },
    {
      name: 'timestamp from 1970',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, sign(body, a.secret, { timestamp: 1 }));
      },
    },
    {
      name: 'timestamp 301 s ahead',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, sign(body, a.secret, { timestamp: now() + 301 }));
      },
    },
    {
      name: 'timestamp a year ahead',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, sign(body, a.secret, { timestamp: now() + 365 * 86_400 }));
      },
    },
    {
      name: 'a right v1 moved to another timestamp',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, `t=${now() + 1},${v1Of(sign(body, a.secret))}`);
      },
    },
    // Which schemes
    {
      name: 'only a v0 signature (correct under v0)',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, sign(body, a.secret, { scheme: 'v0' }));
      },
    },
    {
      name: 'several v1 signatures, none right',
      expected: 400,
      send: () => {
        const body = event();
        const wrong = ['whsec_x', 'whsec_y', b.secret].map((s) => v1Of(sign(body, s)));
        return post(a.path, body, `t=${now()},${wrong.join(',')},v0=${'0'.repeat(64)}`);
      },
    },
    {
      name: 'a v1 that is not hex',
      expected: 400,
      send: () => post(a.path, event(), `t=${now()},v1=${'z'.repeat(64)}`),
    },
    {
      name: 'a right v1 without a timestamp',
      expected: 400,
      send: () => {
        const body = event();
        return post(a.path, body, v1Of(sign(body, a.secret)));
      },
    },
    // Which event
    {
      name: 'the stored event delivered again',
      expected: 'duplicate',
      send: () => post(a.path, originalBody, sign(originalBody, a.secret)),
    },
    {
      name: 'the stored event id with other content, correctly signed',
      expected: 'duplicate',
      send: () => {
        const body = JSON.stringify({ ...original, type: 'charge.dispute.closed' });
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'an event type we do not handle, correctly signed',
      expected: 'ignored',
      send: () => {
        const body = event('invoice.paid');
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'an event type we do not handle, forged',
      expected: 400,
      send: () => {
        const body = event('account.application.deauthorized');
        return post(a.path, body, sign(body, 'whsec_attacker'));
      },
    },
    {
      name: 'a thin (v2) event, correctly signed',
      expected: 400,
      send: () => {
        const body = event('payment_intent.succeeded', { object: 'v2.core.event' });
        return post(a.path, body, sign(body, a.secret));
      },
    },
    // What bytes
    {
      name: 'a raw NUL byte in the body, correctly signed',
      expected: 400,
      send: () => {
        const body = event().replace('"pi_123"', '"pi_\u0000123"');
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'an escaped \\u0000 in a string, correctly signed',
      expected: 400,
      send: () => {
        const body = event('payment_intent.succeeded', {
          data: { object: { id: 'pi_nul', object: 'payment_intent', description: 'a\u0000b' } },
        });
        expect(body).toContain('\\u0000');
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'a NUL in the connection code',
      expected: 400,
      send: () => {
        const body = event();
        return post(`/webhooks/stripe/${a.organizationId}?code=${a.code}%00`, body, sign(body, a.secret));
      },
    },
    {
      name: 'a NUL byte in the Stripe-Signature header',
      expected: 400,
      send: () => {
        const body = event();
        const header = sign(body, a.secret).replace('v1=', 'v1=\u0000');
        return raw(
          `POST ${a.path} HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nStripe-Signature: ${header}\nContent-Length: ${Buffer.byteLength(body)}`,
          body,
        );
      },
    },
    {
      name: 'a body that is not JSON, correctly signed',
      expected: 400,
      send: () => post(a.path, 'not json', sign('not json', a.secret)),
    },
    {
      name: 'a form-encoded body, correctly signed',
      expected: 400,
      send: () => {
        const body = 'id=evt_1&type=payment_intent.succeeded';
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'an empty body, correctly signed',
      expected: 400,
      send: () => post(a.path, '', sign('', a.secret)),
    },
    {
      name: 'a JSON array, correctly signed',
      expected: 400,
      send: () => {
        const body = `[${event()}]`;
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'an event without data.object, correctly signed',
      expected: 400,
      send: () => {
        const body = event('payment_intent.succeeded', { data: {} });
        return post(a.path, body, sign(body, a.secret));
      },
    },
    // How big
    {
      name: 'a correctly signed body above 512 KiB with its Content-Length',
      expected: 413,
      send: () => {
        const body = event('payment_intent.succeeded', {
          data: {
            object: {
              id: 'pi_big',
              object: 'payment_intent',
              description: 'x'.repeat(MAX_STRIPE_EVENT_BYTES),
            },
          },
        });
        return post(a.path, body, sign(body, a.secret));
      },
    },
    {
      name: 'a declared Content-Length of 10 GiB with no body sent',
      expected: 413,
      send: () =>
        raw(
          `POST ${a.path} HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nStripe-Signature: t=${now()},v1=${'0'.repeat(64)}\nContent-Length: ${10 * 1024 ** 3}`,
        ),
    },
    {
      name: 'a chunked body above 512 KiB without Content-Length',
      expected: 413,
      send: () => {
        const prefix = event();
        return postChunked(a.path, sign(prefix, a.secret), prefix, MAX_STRIPE_EVENT_BYTES + 1);
      },
    },
    {
      name: 'a chunked body that never ends',
      expected: 413,
      send: () => {
        const prefix = event();
        return postChunked(a.path, sign(prefix, a.secret), prefix, Number.POSITIVE_INFINITY);
      },
    },
    {
      name: 'a chunked body signed with another secret',
      expected: 400,
      send: () => {
        const body = event();
        return postChunked(a.path, sign(body, 'whsec_attacker'), body);
      },
    },
    {
      name: "a chunked body of A's sent to B's URL",
      expected: 400,
      send: () => {
        const body = event();
        return postChunked(b.path, sign(body, a.secret), body);
      },
    },
  ];

  let tried = 0;
  let stored = 0;

  it.each(cases)('$name: $expected', async (c) => {
    const [rowsBefore, jobsBefore] = [await inboxRows(), await jobs()];
    const res = await c.send();
    tried += 1;
    stored += (await inboxRows()) - rowsBefore + ((await jobs()) - jobsBefore);
    if (c.expected === 'duplicate' || c.expected === 'ignored') {
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ received: true, [c.expected]: true });
    } else {
      expect(res.status).toBe(c.expected);
    }
    expect(await inboxRows()).toBe(rowsBefore);
  });

  it('kept the stored event as first received', async () => {
    const [row] = (await db.orm.em
      .fork()
      .execute(
        `select type, payload from "${db.schema}".stripe_inbox_events where stripe_event_id = '${original.id}'`,
      )) as { type: string; payload: unknown }[];
    expect(row).toEqual({ type: 'payment_intent.succeeded', payload: original });
  });

  it('stored nothing for any of them', () => {
    console.log(`forged webhooks: ${tried} cases tried, stored ${stored}`);
    expect(tried).toBe(cases.length);
    expect(stored).toBe(0);
  });
});
