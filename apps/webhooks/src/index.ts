export { createWebhooksApp } from './app.js';
export type {
  InboxEventInput,
  InboxWriter,
  WebhookConnection,
  WebhookConnectionSource,
  WebhooksDeps,
} from './ports.js';
export { CachedConnectionSource } from './secret-cache.js';
