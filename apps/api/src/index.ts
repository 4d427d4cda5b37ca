export { API_PREFIX, apiRoutes, createApiApp } from './app.js';
export {
  type BootstrappedOrganization,
  bootstrapOrganization,
  documentNumberPrefix,
  type OrganizationCreator,
} from './bootstrap-organization.js';
export { type BuildApiDepsInput, buildApiDeps, systemClock, uuidIds } from './compose.js';
export { type ApiConfig, ConfigError, loadApiConfig, uiMountFromConfig } from './config/env.js';
export type { ApiDeps, UiDeps, UiMount } from './deps.js';
export type { ApiKeyAuthenticator } from './ports/api-keys.js';
export type { IdempotencyBegin, IdempotencyStore } from './ports/idempotency.js';
export type { ListQueries, Page } from './ports/lists.js';
export type { OrganizationSecrets } from './ports/organization-secrets.js';
export type { ReadinessProbe } from './ports/readiness.js';
export type { WebhookDeliveryLog, WebhookDeliveryRecord } from './ports/webhook-deliveries.js';
export type { WebhookEndpointStore } from './ports/webhook-endpoints.js';
