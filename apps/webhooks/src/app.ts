import { Hono } from 'hono';

/** Receives Stripe webhooks. Verification and the inbox are added on top of this app. */
export function createWebhooksApp(): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  return app;
}
