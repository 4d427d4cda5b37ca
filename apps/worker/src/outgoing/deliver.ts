import { createHash } from 'node:crypto';
import type { Clock, JobCatalog, Logger } from '@payrail/domain';
import {
  type PrivateTargetKind,
  type Resolver,
  type WebhookSigningKey,
  webhookBody,
  webhookHeaders,
} from '@payrail/lago-wire';
import { RetryLaterError } from '../jobs/outcome.js';
import type { JobHandler } from '../jobs/types.js';
import type { PayloadRenderer, WebhookEndpoint, WebhookStore } from './ports.js';
import { postWebhook } from './send.js';

export interface DeliverySettings {
  /** Attempts per event and endpoint, the first included (15 by default; Lago's default is 3). */
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** `iss` of the JWT: the API's public URL (Lago's `LAGO_API_URL`). */
  readonly issuer: string;
  /**
   * Private address classes endpoints may reach (`WEBHOOK_ALLOW_PRIVATE_TARGETS`): none unless
   * the deployment opens them. Link-local and metadata addresses are refused whatever it says.
   */
  readonly allowPrivateTargets: readonly PrivateTargetKind[];
}

export interface DeliverDeps {
  readonly store: WebhookStore;
  readonly render: PayloadRenderer;
  readonly signingKey: WebhookSigningKey;
  readonly clock: Clock;
  readonly settings: DeliverySettings;
  readonly logger?: Logger;
  /** How endpoint host names are resolved; `getaddrinfo` unless a test names its own hosts. */
  readonly resolve?: Resolver;
}

/**
 * `webhook.deliver`: POST one event to every endpoint of the organization whose event types match.
 * Each attempt is recorded. Endpoints that already succeeded or used up their attempts are left
 * alone, so a job that runs again only retries the ones still failing; while any of those has
 * attempts left the job is handed back to the queue, whose backoff spaces the attempts. A
 * redelivery the merchant asked for (`redeliveryFrom`) counts only the attempts made since, so every
 * matching endpoint gets the event again with a fresh allowance of attempts.
 */
export function deliverWebhookHandler(deps: DeliverDeps): JobHandler<JobCatalog['webhook.deliver']> {
  return async (job) => {
    const since = job.payload.redeliveryFrom === undefined ? undefined : new Date(job.payload.redeliveryFrom);
    // One read: the event, the organization's endpoints, the attempts so far, the HMAC key.
    const context = await deps.store.load(job.payload.eventId, since);
    if (context === null) return { status: 'done', detail: 'event gone' };
    const { event, history } = context;
    const endpoints = context.endpoints.filter((e) => subscribes(e, event.webhookType));
    if (endpoints.length === 0) return { status: 'done', detail: 'no endpoint' };

    const due = endpoints.filter((e) => {
      const h = history.get(e.id);
      return h === undefined || (!h.succeeded && h.attemptsSince < deps.settings.maxAttempts);
    });
    if (due.length === 0) return { status: 'done', detail: 'nothing due' };

    // Rendered once per run: every endpoint gets the same bytes, signed as sent.
    const body = webhookBody(await deps.render(event, context.organization));
    const hmacKey = due.some((e) => e.signatureAlgo === 'hmac') ? context.hmacKey().reveal() : null;

    const results = await Promise.all(
      due.map(async (endpoint) => {
        const attempt = (history.get(endpoint.id)?.attempts ?? 0) + 1;
        const headers = await webhookHeaders({
          body,
          algo: endpoint.signatureAlgo,
          uniqueKey: uniqueKey(event.id, endpoint.id),
          jwt: { key: deps.signingKey, issuer: deps.settings.issuer },
          hmacKey: hmacKey ?? '',
        });
        const attemptedAt = deps.clock.now();
        const sent = await postWebhook(endpoint.url, body, headers, {
          timeoutMs: deps.settings.timeoutMs,
          allowPrivate: deps.settings.allowPrivateTargets,
          signal: job.signal,
          ...(deps.resolve === undefined ? {} : { resolve: deps.resolve }),
        });
        await deps.store.recordAttempt({
          eventId: event.id,
          endpointId: endpoint.id,
          attempt,
          attemptedAt,
          succeeded: sent.succeeded,
          httpStatus: sent.httpStatus,
          error: sent.error,
          durationMs: sent.durationMs,
        });
        if (!sent.succeeded) {
          deps.logger?.warn('webhook delivery failed', {
            eventId: event.id,
            endpointId: endpoint.id,
            attempt,
            httpStatus: sent.httpStatus,
            error: sent.error,
            detail: sent.detail,
          });
        }
        return { sent, counted: (history.get(endpoint.id)?.attemptsSince ?? 0) + 1 };
      }),
    );

    const retryable = results.filter((r) => !r.sent.succeeded && r.counted < deps.settings.maxAttempts);
    if (retryable.length > 0) {
      throw new RetryLaterError('webhook_delivery_failed', `${retryable.length} endpoint(s) to retry`);
    }
    const failed = results.filter((r) => !r.sent.succeeded).length;
    return failed === 0
      ? { status: 'done', detail: `delivered to ${results.length}` }
      : { status: 'parked', reason: `${failed} endpoint(s) failed every attempt` };
  };
}

function subscribes(endpoint: WebhookEndpoint, webhookType: string): boolean {
  const types = endpoint.eventTypes;
  return types === null || types.length === 0 || types.includes('*') || types.includes(webhookType);
}

/**
 * `X-Lago-Unique-Key`: one UUID per event and endpoint, the same on every retry, so a receiver can
 * drop a second copy (Lago uses its per-endpoint webhook row id).
 */
export function uniqueKey(eventId: string, endpointId: string): string {
  const h = createHash('sha256').update(`${eventId}/${endpointId}`).digest('hex');
  const variant = ((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
