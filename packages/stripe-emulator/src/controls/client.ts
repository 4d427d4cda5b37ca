/**
 * Typed client for the `/_emulator` test controls, for other packages' tests:
 * `const controls = emulatorControls(emu.url); await controls.advanceClock(60);`
 */
import type Stripe from 'stripe';
import type { KeyMode } from '../emulator.js';
import type { FaultKind } from '../http/faults.js';
import type { RateLimitSettings } from '../http/rate-limit.js';
import type { Instrument } from '../instruments.js';
import type { Delivery, ReleaseOrder } from '../webhooks/dispatcher.js';

export interface FaultRequest {
  kind: FaultKind;
  method?: string;
  path?: string;
  /** Only requests made with this secret key. */
  apiKey?: string;
  count?: number;
  latencyMs?: number;
}

export interface ControlErrorBody {
  type: string;
  message: string;
  code?: string;
  decline_code?: string;
}

export type CompleteCheckoutResult =
  | { ok: true; redirectUrl: string | null; session: Stripe.Checkout.Session }
  | { ok: false; status: number; message: string; session: Stripe.Checkout.Session };

export interface EmulatorControls {
  health(): Promise<{ ok: boolean }>;
  reset(): Promise<void>;
  clock(): Promise<{ now: number; offsetSeconds: number; pendingTasks: number }>;
  /** Moves the emulator clock forward and runs what became due (bank debits, refunds, expiries). */
  advanceClock(seconds: number): Promise<{ now: number; offsetSeconds: number; ran: number }>;
  injectFault(fault: FaultRequest): Promise<{ id: number }>;
  /** Same fault for the next `count` requests matching `match`. */
  injectFaults(
    kind: FaultKind,
    count: number,
    match?: { method?: string; path?: string; latencyMs?: number },
  ): Promise<{ id: number }>;
  listFaults(): Promise<Array<FaultRequest & { id: number }>>;
  clearFaults(): Promise<void>;
  /** Token bucket per account; `null` turns it off. */
  setRateLimit(perSecond: number | null, burst?: number): Promise<void>;
  /** The limit, and how many requests it admitted and refused since it was last set. */
  rateLimit(): Promise<RateLimitSettings>;
  deliveries(): Promise<Delivery[]>;
  replayDelivery(id: string): Promise<Delivery>;
  holdDeliveries(): Promise<void>;
  releaseDeliveries(options?: { order?: ReleaseOrder }): Promise<number>;
  duplicateNext(count?: number): Promise<void>;
  /** Polls until no delivery is queued, in flight or waiting to retry (held ones excluded). */
  waitForDeliveries(options?: { timeoutMs?: number }): Promise<Delivery[]>;
  instruments(): Promise<Instrument[]>;
  completeCheckout(sessionId: string, options?: { instrument?: string }): Promise<CompleteCheckoutResult>;
  authenticate(
    intentId: string,
    result?: 'success' | 'fail',
  ): Promise<{ object: Stripe.PaymentIntent | Stripe.SetupIntent; error: ControlErrorBody | null }>;
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): Promise<Stripe.Dispute>;
  /** Revokes a secret key: every later API request with it gets Stripe's 401. */
  revokeKey(apiKey: string): Promise<{ revoked: string }>;
  /** Makes a secret key valid when the emulator runs with `keys: 'registered'` (a no-op otherwise). */
  registerKey(apiKey: string): Promise<{ registered: string; mode: KeyMode }>;
  /** The key mode and how many keys are registered and revoked. */
  keys(): Promise<{ mode: KeyMode; registered: number; revoked: number }>;
}

export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function emulatorControls(baseUrl: string): EmulatorControls {
  const root = `${baseUrl.replace(/\/+$/, '')}/_emulator`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${root}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T & { error?: { message: string } };
    if (!res.ok) throw new EmulatorControlError(res.status, json.error?.message ?? `HTTP ${res.status}`);
    return json;
  }
  const enc = encodeURIComponent;
  const controls: EmulatorControls = {
    health: () => call('GET', 'health'),
    reset: async () => {
      await call('POST', 'reset');
    },
    clock: () => call('GET', 'clock'),
    advanceClock: (seconds) => call('POST', 'clock/advance', { seconds }),
    injectFault: (fault) => call('POST', 'faults', fault),
    injectFaults: (kind, count, match = {}) => call('POST', 'faults', { kind, count, ...match }),
    listFaults: async () =>
      (await call<{ data: Array<FaultRequest & { id: number }> }>('GET', 'faults')).data,
    clearFaults: async () => {
      await call('DELETE', 'faults');
    },
    setRateLimit: async (perSecond, burst) => {
      await call('POST', 'rate_limit', burst === undefined ? { perSecond } : { perSecond, burst });
    },
    rateLimit: () => call('GET', 'rate_limit'),
    deliveries: async () => (await call<{ data: Delivery[] }>('GET', 'webhooks/deliveries')).data,
    replayDelivery: (id) => call('POST', `webhooks/deliveries/${enc(id)}/replay`),
    holdDeliveries: async () => {
      await call('POST', 'webhooks/hold');
    },
    releaseDeliveries: async (options = {}) =>
      (await call<{ released: number }>('POST', 'webhooks/release', { order: options.order ?? 'fifo' }))
        .released,
    duplicateNext: async (count = 1) => {
      await call('POST', 'webhooks/duplicate', { count });
    },
    waitForDeliveries: async (options = {}) => {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const { idle } = await call<{ idle: boolean }>('GET', 'webhooks/idle');
        if (idle) return controls.deliveries();
        if (Date.now() > deadline) throw new EmulatorControlError(408, 'webhook deliveries still pending');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    instruments: async () => (await call<{ data: Instrument[] }>('GET', 'instruments')).data,
    completeCheckout: (sessionId, options = {}) =>
      call('POST', `checkout/sessions/${enc(sessionId)}/complete`, {
        instrument: options.instrument ?? 'card_visa',
      }),
    authenticate: (intentId, result = 'success') =>
      call('POST', `intents/${enc(intentId)}/authenticate`, { result }),
    closeDispute: (disputeId, outcome) => call('POST', `disputes/${enc(disputeId)}/close`, { outcome }),
    revokeKey: (apiKey) => call('POST', 'keys/revoke', { apiKey }),
    registerKey: (apiKey) => call('POST', 'keys', { apiKey }),
    keys: () => call('GET', 'keys'),
  };
  return controls;
}
