import { httpMetrics, routeTemplate } from '@payrail/persistence';
import { HANDLED_STRIPE_EVENTS } from '@payrail/stripe-adapter';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { reject } from './http/errors.js';
import { stripeWebhookHandler } from './http/stripe-route.js';
import type { WebhooksDeps } from './ports.js';
import { CachedConnectionSource } from './secret-cache.js';

/**
 * Largest Stripe event body accepted (decision 0810). The events we register carry one object each
 * (a PaymentIntent, a Customer, a Refund...), a few kilobytes with at most 50 metadata keys of 500
 * characters; 512 KiB leaves a wide margin over that and refuses much sooner than 1 MiB would.
 */
export const MAX_STRIPE_EVENT_BYTES = 512 * 1024;

/**
 * The Stripe webhook receiver: verify, store in the inbox with its processing job, answer 200.
 * Processing happens in the worker. Stateless apart from a short-lived secret cache, so any
 * number of copies can run behind a load balancer.
 */
export function createWebhooksApp(deps: WebhooksDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const connections = new CachedConnectionSource(deps.connections, {
    ttlMs: deps.secretTtlMs ?? 30_000,
    now: () => now().getTime(),
  });
  const app = new Hono();
  const { metrics, ready } = deps;
  let inbox = deps.inbox;
  if (metrics) {
    app.use(
      '*',
      httpMetrics(metrics, (c: Context) => routeTemplate(matchedRoutes(c))),
    );
    app.get('/metrics', async (c) =>
      c.body(await metrics.text(), 200, { 'content-type': metrics.contentType }),
    );
    app.use('/webhooks/stripe/*', async (c, next) => {
      await next();
      // Stored and duplicate are counted where the inbox answers; here, what never reached it.
      if (c.res.status >= 500) metrics.observeWebhookIngest('unavailable');
      else if (c.res.status >= 400) metrics.observeWebhookIngest('rejected');
    });
    const inner = deps.inbox;
    inbox = {
      async insert(event) {
        const result = await inner.insert(event);
        metrics.observeWebhookIngest(result.status);
        return result;
      },
    };
  }
  // Before anything reads a body (the metrics above only observe): a declared Content-Length above
  // the limit is refused unread, a chunked body at the first byte past it.
  const maxSize = deps.maxBodyBytes ?? MAX_STRIPE_EVENT_BYTES;
  // Hono's own limit builds a full Fetch Request to look for a body, on every request: here it
  // only counts bodies of undeclared length (chunked). A declared length is judged from the header.
  const limitUndeclared = bodyLimit({ maxSize, onError: (c) => reject(c, 'payload_too_large') });
  app.use('*', async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined)
      return limitUndeclared(c, next);
    if (Number.parseInt(length, 10) > maxSize) return reject(c, 'payload_too_large');
    return next();
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const ok = ready === undefined ? true : await ready().catch(() => false);
    return c.json({ status: ok ? 'ready' : 'not_ready', checks: { database: ok } }, ok ? 200 : 503);
  });
  app.post(
    '/webhooks/stripe/:organizationId',
    stripeWebhookHandler({
      connections,
      inbox,
      toleranceSeconds: deps.toleranceSeconds ?? 300,
      eventTypes: new Set(deps.eventTypes ?? HANDLED_STRIPE_EVENTS),
      now,
      logger: deps.logger,
      ...(metrics ? { onIgnored: () => metrics.observeWebhookIngest('ignored') } : {}),
    }),
  );
  app.notFound((c) => reject(c, 'not_found'));
  app.onError((error, c) => {
    // Typically the database being unreachable: 503 makes Stripe deliver the event again later.
    deps.logger?.error('webhooks: could not store event', { message: error.message, path: c.req.path });
    return c.json({ status: 503, error: 'Service Unavailable', code: 'unavailable' }, 503);
  });
  return app;
}
