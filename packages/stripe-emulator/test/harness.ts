/** Shared test setup: an in-process emulator, real SDK clients and a real webhook receiver. */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';
import {
  type EmulatorControls,
  type EmulatorOptions,
  emulatorControls,
  type RunningEmulator,
  startEmulator,
} from '../src/index.js';

export interface Harness {
  emu: RunningEmulator;
  controls: EmulatorControls;
  /** A client for a fresh account (its own secret key), so tests never see each other's objects. */
  client(options?: { maxNetworkRetries?: number; key?: string }): Stripe;
}

export function useEmulator(options: Omit<EmulatorOptions, 'port'> = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.emu = await startEmulator({
      port: 0,
      webhookRetry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      ...options,
    });
    h.controls = emulatorControls(h.emu.url);
    h.client = (options = {}) =>
      new Stripe(options.key ?? `sk_test_${randomUUID().replace(/-/g, '')}`, {
        host: '127.0.0.1',
        port: h.emu.port,
        protocol: 'http',
        telemetry: false,
        maxNetworkRetries: options.maxNetworkRetries ?? 0,
      });
  });
  afterAll(async () => {
    await h.emu.stop();
  });
  return h;
}

export interface Received {
  body: string;
  signature: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes to answer with, one per request, then 200. */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const queue: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['stripe-signature'] ?? ''),
      });
      res.statusCode = queue.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    failNext: (...statuses) => queue.push(...statuses),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Verifies every delivery with the SDK and returns the events. */
export function verified(stripe: Stripe, receiver: Receiver, secret: string): Stripe.Event[] {
  return receiver.received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, secret));
}

export async function customerWithCard(stripe: Stripe, token = 'pm_card_visa') {
  const customer = await stripe.customers.create({ email: 'ada@example.com', name: 'Ada' });
  const pm = await stripe.paymentMethods.attach(token, { customer: customer.id });
  return { customer, pm };
}

/** The customer's acceptance of a debit mandate, as a server that collected it sends it. */
export const OFFLINE_ACCEPTANCE: Stripe.SetupIntentCreateParams.MandateData = {
  customer_acceptance: { type: 'offline' },
};

/**
 * A customer with a bank account (SEPA, ACH or Bacs token) set up for off-session debits: a
 * SetupIntent confirmed with the customer's acceptance, which creates the mandate.
 */
export async function customerWithBankAccount(stripe: Stripe, token: string) {
  const customer = await stripe.customers.create({ email: 'ada@example.com', name: 'Ada' });
  const si = await stripe.setupIntents.create({
    customer: customer.id,
    payment_method: token,
    confirm: true,
    mandate_data: OFFLINE_ACCEPTANCE,
  });
  const pm = await stripe.paymentMethods.retrieve(si.payment_method as string);
  return { customer, pm, mandate: si.mandate as string };
}

/** A card token attached, or a bank account token set up with a mandate. */
export async function customerWithMethod(stripe: Stripe, token: string) {
  return token.startsWith('pm_card')
    ? customerWithCard(stripe, token)
    : customerWithBankAccount(stripe, token);
}
