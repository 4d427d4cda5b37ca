/**
 * In-process webhook delivery. Each endpoint has its own FIFO queue with one request in flight,
 * so events arrive in creation order unless a test asks for duplicates or a different order.
 * Failed attempts (non-2xx, network error, timeout) are retried with exponential backoff.
 */
import http from 'node:http';
import https from 'node:https';
import type Stripe from 'stripe';
import type { Account } from '../account.js';
import type { EventSink } from '../events.js';
import { newId } from '../ids.js';
import { signatureHeader } from './signature.js';

export interface WebhookRetryOptions {
  /** Total attempts per delivery, first one included. */
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
}

export type DeliveryStatus = 'held' | 'pending' | 'succeeded' | 'failed';

export interface Delivery {
  id: string;
  account: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Set on the extra copies made by `duplicateNext` and on replays. */
  duplicateOf: string | null;
  replayOf: string | null;
}

interface Job {
  delivery: Delivery;
  payload: string;
  secret: string;
  event: Stripe.Event;
}

export type ReleaseOrder = 'fifo' | 'reverse' | 'shuffle';

export class WebhookDispatcher implements EventSink {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly jobs = new Map<string, Job>();
  private readonly queues = new Map<string, Job[]>();
  private readonly busy = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private held: Job[] | null = null;
  private duplicates = 0;
  private inFlight = 0;
  private stopped = false;
  // A fresh connection per attempt: reusing idle sockets races with receivers closing them, which
  // would show up as spurious failed attempts.
  private readonly httpAgent = new http.Agent({ keepAlive: false, maxSockets: 16 });
  private readonly retry: Required<WebhookRetryOptions>;

  constructor(retry: WebhookRetryOptions = {}) {
    this.retry = {
      maxAttempts: retry.maxAttempts ?? 4,
      initialDelayMs: retry.initialDelayMs ?? 50,
      maxDelayMs: retry.maxDelayMs ?? 1000,
      timeoutMs: retry.timeoutMs ?? 5000,
    };
  }

  publish(account: Account, event: Stripe.Event): number {
    let count = 0;
    for (const endpoint of account.webhookEndpoints.values()) {
      if (endpoint.status !== 'enabled') continue;
      if (!endpoint.enabled_events.includes('*') && !endpoint.enabled_events.includes(event.type)) continue;
      const secret = account.webhookSecrets.get(endpoint.id);
      if (!secret) continue;
      count++;
      const first = this.createJob(account, event, endpoint, secret, null, null);
      this.submit(first);
      if (this.duplicates > 0) {
        this.duplicates--;
        this.submit(this.createJob(account, event, endpoint, secret, first.delivery.id, null));
      }
    }
    return count;
  }

  list(): Delivery[] {
    return [...this.deliveries.values()];
  }

  get(id: string): Delivery | undefined {
    return this.deliveries.get(id);
  }

  /** Sends the same event again to the same endpoint, as a new delivery. */
  replay(id: string): Delivery | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const copy = this.cloneJob(job, null, id);
    this.submit(copy);
    return copy.delivery;
  }

  duplicateNext(count: number): void {
    this.duplicates = Math.max(0, count);
  }

  hold(): void {
    if (!this.held) this.held = [];
  }

  release(order: ReleaseOrder = 'fifo'): number {
    const held = this.held ?? [];
    this.held = null;
    if (order === 'reverse') held.reverse();
    if (order === 'shuffle') {
      for (let i = held.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [held[i], held[j]] = [held[j] as Job, held[i] as Job];
      }
    }
    for (const job of held) {
      job.delivery.status = 'pending';
      this.enqueue(job);
    }
    return held.length;
  }

  /** True when nothing is queued, in flight or waiting for a retry (held deliveries excluded). */
  idle(): boolean {
    if (this.inFlight > 0 || this.timers.size > 0) return false;
    for (const q of this.queues.values()) if (q.length > 0) return false;
    return true;
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deliveries.clear();
    this.jobs.clear();
    this.queues.clear();
    this.held = null;
    this.duplicates = 0;
  }

  stop(): void {
    this.stopped = true;
    this.reset();
    this.httpAgent.destroy();
  }

  private createJob(
    account: Account,
    event: Stripe.Event,
    endpoint: Stripe.WebhookEndpoint,
    secret: string,
    duplicateOf: string | null,
    replayOf: string | null,
  ): Job {
    const delivery: Delivery = {
      id: newId('whdel'),
      account: account.id,
      eventId: event.id,
      eventType: event.type,
      endpointId: endpoint.id,
      url: endpoint.url,
      status: 'pending',
      attempts: [],
      duplicateOf,
      replayOf,
    };
    const job: Job = { delivery, secret, event, payload: JSON.stringify(event, null, 2) };
    this.deliveries.set(delivery.id, delivery);
    this.jobs.set(delivery.id, job);
    return job;
  }

  private cloneJob(job: Job, duplicateOf: string | null, replayOf: string | null): Job {
    const delivery: Delivery = {
      ...job.delivery,
      id: newId('whdel'),
      status: 'pending',
      attempts: [],
      duplicateOf,
      replayOf,
    };
    const copy: Job = { ...job, delivery };
    this.deliveries.set(delivery.id, delivery);
    this.jobs.set(delivery.id, copy);
    return copy;
  }

  private submit(job: Job): void {
    if (this.held) {
      job.delivery.status = 'held';
      this.held.push(job);
      return;
    }
    this.enqueue(job);
  }

  private enqueue(job: Job): void {
    const key = job.delivery.endpointId;
    let q = this.queues.get(key);
    if (!q) {
      q = [];
      this.queues.set(key, q);
    }
    q.push(job);
    this.pump(key);
  }

  private pump(key: string): void {
    if (this.stopped || this.busy.has(key)) return;
    const job = this.queues.get(key)?.shift();
    if (!job) return;
    this.busy.add(key);
    this.inFlight++;
    void this.attempt(job).then((ok) => {
      this.inFlight--;
      this.busy.delete(key);
      if (this.stopped) return;
      const d = job.delivery;
      if (ok) {
        d.status = 'succeeded';
        if (!d.duplicateOf && !d.replayOf && job.event.pending_webhooks > 0) job.event.pending_webhooks--;
      } else if (d.attempts.length >= this.retry.maxAttempts) {
        d.status = 'failed';
      } else {
        const delay = Math.min(
          this.retry.initialDelayMs * 2 ** (d.attempts.length - 1),
          this.retry.maxDelayMs,
        );
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.enqueue(job);
        }, delay);
        this.timers.add(timer);
      }
      this.pump(key);
    });
  }

  private attempt(job: Job): Promise<boolean> {
    const record: DeliveryAttempt = { at: new Date().toISOString(), statusCode: null, error: null };
    job.delivery.attempts.push(record);
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(job.delivery.url);
      } catch {
        record.error = 'invalid url';
        resolve(false);
        return;
      }
      const isHttps = url.protocol === 'https:';
      const body = Buffer.from(job.payload, 'utf8');
      const req = (isHttps ? https : http).request(
        url,
        {
          method: 'POST',
          agent: isHttps ? undefined : this.httpAgent,
          timeout: this.retry.timeoutMs,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': body.length,
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'Stripe-Signature': signatureHeader(job.payload, job.secret),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            record.statusCode = res.statusCode ?? null;
            resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
          });
          res.on('error', (err) => {
            record.error = err.message;
            resolve(false);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => {
        record.error = err.message;
        resolve(false);
      });
      req.end(body);
    });
  }
}
