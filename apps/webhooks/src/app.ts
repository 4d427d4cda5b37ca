import { Hono } from 'hono';
import { reject } from './http/errors.js';
import { stripeWebhookHandler } from './http/stripe-route.js';
import type { WebhooksDeps } from './ports.js';
import { CachedConnectionSource } from './secret-cache.js';

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
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.post(
    '/webhooks/stripe/:organizationId',
    stripeWebhookHandler({
      connections,
      inbox: deps.inbox,
      toleranceSeconds: deps.toleranceSeconds ?? 300,
      maxBodyBytes: deps.maxBodyBytes ?? 1024 * 1024,
      now,
      logger: deps.logger,
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
