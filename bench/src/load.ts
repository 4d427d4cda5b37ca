/**
 * The load generator, run as its own process (`node bench/dist/load.js '<json spec>'`) so that it
 * never shares an event loop with a server under test. Drives one target with autocannon and
 * prints one JSON line: answers per second, latency percentiles, refusals.
 */
import { createHmac, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Bodies sent in turn, or with `stripeEvent` a freshly signed Stripe event per request. */
  readonly bodies?: readonly string[];
  readonly stripeEvent?: { readonly secret: string };
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  /** 2xx answers per second. */
  readonly rps: number;
  readonly ok: number;
  readonly refused: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly seconds: number;
  /** Mean bytes per answer, headers included (what the server wrote per request). */
  readonly bytesPerAnswer: number;
}

/** A `payment_intent.succeeded` for a PaymentIntent Payrail does not know: stored, then skipped. */
export function signedStripeEvent(secret: string): { body: string; signature: string } {
  const created = Math.floor(Date.now() / 1000);
  const suffix = randomBytes(9).toString('hex');
  const body = JSON.stringify({
    id: `evt_bench${suffix}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    type: 'payment_intent.succeeded',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: `pi_bench${suffix}`,
        object: 'payment_intent',
        amount: 2500,
        currency: 'usd',
        status: 'succeeded',
        metadata: {},
      },
    },
  });
  const v1 = createHmac('sha256', secret).update(`${created}.${body}`).digest('hex');
  return { body, signature: `t=${created},v1=${v1}` };
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const { stripeEvent, bodies } = spec;
  let next = 0;
  const request = stripeEvent
    ? {
        method: spec.method,
        setupRequest: (req: Record<string, unknown>) => {
          const { body, signature } = signedStripeEvent(stripeEvent.secret);
          return { ...req, body, headers: { ...spec.headers, 'stripe-signature': signature } };
        },
      }
    : bodies && bodies.length > 0
      ? {
          method: spec.method,
          headers: { ...spec.headers },
          setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++ % bodies.length] }),
        }
      : { method: spec.method, headers: { ...spec.headers } };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        requests: [request],
        timeout: 30,
      },
      (error, result) => {
        if (error) return reject(error);
        const duration = result.duration || spec.seconds;
        resolve({
          rps: result['2xx'] / duration,
          ok: result['2xx'],
          refused: result.non2xx,
          errors: result.errors + result.timeouts,
          p50: result.latency.p50,
          p99: result.latency.p99,
          seconds: duration,
          bytesPerAnswer: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
        });
      },
    );
  });
}

if (process.argv[1]?.endsWith('load.js') && process.argv[2]) {
  const result = await runLoad(JSON.parse(process.argv[2]) as LoadSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
