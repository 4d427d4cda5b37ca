export { createWebhooksApp, MAX_STRIPE_EVENT_BYTES } from './app.js';
export { composeWebhooks, databaseConnectionSource, type WebhooksCompositionOptions } from './compose.js';
export type {
  InboxEventInput,
  InboxWriter,
  WebhookConnection,
  WebhookConnectionSource,
  WebhooksDeps,
} from './ports.js';
export { CachedConnectionSource } from './secret-cache.js';
