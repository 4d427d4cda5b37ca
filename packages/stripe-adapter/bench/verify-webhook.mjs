/**
 * Webhook verification throughput, reported as a ratio against the SDK's own
 * `stripe.webhooks.constructEvent` measured in the same run (the machine is shared and noisy, so
 * absolute numbers mean little). Run after a build: `node packages/stripe-adapter/bench/verify-webhook.mjs`.
 */
import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import { verifyStripeWebhook } from '../dist/index.js';

const sdk = new Stripe('sk_test_bench', { telemetry: false });
const secret = 'whsec_bench_secret_0123456789abcdef';
const timestamp = Math.floor(Date.now() / 1000);
// A realistic payment_intent.succeeded body (~3 KB).
const object = {
  id: 'pi_3Nbench',
  object: 'payment_intent',
  amount: 12345,
  currency: 'eur',
  status: 'succeeded',
  metadata: { lago_invoice_id: crypto.randomUUID(), lago_payment_id: crypto.randomUUID() },
  payment_method_types: ['card', 'sepa_debit'],
  description: 'Acme - Invoice ACM-2026-000123',
  padding: 'x'.repeat(2500),
};
const body = JSON.stringify({
  id: 'evt_bench',
  object: 'event',
  api_version: Stripe.API_VERSION,
  created: timestamp,
  type: 'payment_intent.succeeded',
  livemode: false,
  data: { object },
});
const header = sdk.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
const rawBuffer = Buffer.from(body);

function rate(fn, ms) {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
  }
  return n / ((performance.now() - start) / 1000);
}

const candidates = {
  'sdk constructEvent (baseline)': () => sdk.webhooks.constructEvent(body, header, secret),
  'verifyStripeWebhook (string body)': () => {
    if (!verifyStripeWebhook({ rawBody: body, signatureHeader: header, secret }).ok)
      throw new Error('rejected');
  },
  'verifyStripeWebhook (Buffer body)': () => {
    if (!verifyStripeWebhook({ rawBody: rawBuffer, signatureHeader: header, secret }).ok)
      throw new Error('rejected');
  },
};
for (const fn of Object.values(candidates)) rate(fn, 200); // warm-up
// Interleaved rounds, median per candidate: a neighbour's burst of CPU hits every candidate alike.
const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
for (let round = 0; round < 5; round++) {
  for (const [name, fn] of Object.entries(candidates)) samples[name].push(rate(fn, 300));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]));
const baseline = results['sdk constructEvent (baseline)'];
for (const [name, perSecond] of Object.entries(results)) {
  console.log(
    `${name.padEnd(34)} ${Math.round(perSecond).toLocaleString('en').padStart(8)} events/s  ratio ${(perSecond / baseline).toFixed(2)}`,
  );
}
console.log(
  `verification alone covers the 1,500 events/s target ${Math.floor(results['verifyStripeWebhook (string body)'] / 1500)}x on one core`,
);
