// Load generator for bench/run.ts, in its own thread so that the server's event loop is not
// shared with the client's. Plain JS: worker threads do not inherit tsx's loader.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, path, kind, secret, seconds, concurrency } = workerData;

function stripeEvent(i) {
  const created = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: `evt_bench${i}_${randomBytes(6).toString('hex')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    type: 'payment_intent.succeeded',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: `pi_bench${i}`,
        object: 'payment_intent',
        amount: 2500,
        currency: 'usd',
        status: 'succeeded',
        metadata: { lago_invoice_id: randomUUID(), lago_payment_id: randomUUID() },
      },
    },
  });
  const v1 = createHmac('sha256', secret).update(`${created}.${body}`).digest('hex');
  return {
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${created},v1=${v1}` },
  };
}

const plain = { body: '{}', headers: { 'content-type': 'application/json' } };

function post(agent, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let next = 0;
let ok = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const { body, headers } = kind === 'stripe' ? stripeEvent(next++) : plain;
      const t0 = performance.now();
      const status = await post(agent, body, headers);
      latencies.push(performance.now() - t0);
      if (status === 200) ok++;
    }
  }),
);
const elapsedS = (performance.now() - started) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0;
parentPort.postMessage({ requests: latencies.length, ok, elapsedS, p50: pct(50), p99: pct(99) });
