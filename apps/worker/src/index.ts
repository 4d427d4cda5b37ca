export { stripeEventTranslator } from './adapters/event-translator.js';
export { persistenceInboxRedrive } from './adapters/inbox-redrive.js';
export { namesOurObject } from './adapters/names-our-object.js';
export { persistenceWebhookStore } from './adapters/persistence-webhook-store.js';
export {
  createJobHandlers,
  type RunningWorker,
  startWorker,
  type WorkerDeps,
  type WorkerQueue,
} from './app.js';
export { composeWorker, domainUseCases, type WorkerCompositionOptions } from './compose.js';
export type { EventTranslator, InboxEvent, InboxStore } from './inbox/ports.js';
export { processInboxEventHandler } from './inbox/process-event.js';
export type { InboxRedrive } from './inbox/redrive.js';
export { type JobOutcome, RetryLaterError, settleResult } from './jobs/outcome.js';
export type { JobHandler, WorkerJob } from './jobs/types.js';
export { useCaseJobHandlers } from './jobs/use-case-jobs.js';
export { type OpsServerOptions, type RunningOpsServer, startOpsServer } from './ops-server.js';
export { deliverWebhookHandler, uniqueKey } from './outgoing/deliver.js';
export {
  type DeliveryAttempt,
  type DeliveryContext,
  type EndpointHistory,
  endpointHistory,
  type PayloadRenderer,
  type RenderedOrganization,
  type StoredWebhookEvent,
  type WebhookEndpoint,
  type WebhookStore,
} from './outgoing/ports.js';
export { lagoPayloadRenderer } from './outgoing/render.js';
export { reconciliationSweepHandler } from './reconcile/sweep.js';
export { DEFAULT_WORKER_SETTINGS, type WorkerSettings } from './settings.js';
export type { WorkerUseCases } from './use-cases.js';
