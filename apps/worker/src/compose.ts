import { randomUUID } from 'node:crypto';
import {
  type Clock,
  checkLostDisputes,
  collectInvoicePayment,
  collectPaymentRequest,
  generateCheckoutLink,
  handleStripeCommand,
  type IdGenerator,
  type Logger,
  reconcilePayment,
  refundCreditNote,
  scheduleDisputeChecks,
  scheduleReconciliation,
  scheduleWaitingCollections,
  syncCustomerToStripe,
} from '@payrail/domain';
import type { WebhookSigningKey } from '@payrail/lago-wire';
import type { Database, Metrics } from '@payrail/persistence';
import type { StripeGatewayFactory } from '@payrail/stripe-adapter';
import { stripeEventTranslator } from './adapters/event-translator.js';
import { persistenceInboxRedrive } from './adapters/inbox-redrive.js';
import { namesOurObject } from './adapters/names-our-object.js';
import { persistenceWebhookStore } from './adapters/persistence-webhook-store.js';
import type { WorkerDeps } from './app.js';
import type { WebhookStore } from './outgoing/ports.js';
import { lagoPayloadRenderer } from './outgoing/render.js';
import { DEFAULT_WORKER_SETTINGS, type WorkerSettings } from './settings.js';
import type { WorkerUseCases } from './use-cases.js';

export interface WorkerCompositionOptions {
  readonly db: Database;
  readonly gateways: StripeGatewayFactory;
  /** The deployment's webhook signing key; the API serves its public half. */
  readonly signingKey: WebhookSigningKey;
  /** Public base URL of the webhooks app (the domain builds Stripe endpoint URLs from it). */
  readonly publicBaseUrl: string;
  /** The API's public URL: `iss` of outgoing webhook JWTs (Lago's `LAGO_API_URL`). */
  readonly apiUrl: string;
  readonly settings?: Partial<Omit<WorkerSettings, 'webhookIssuer'>>;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly logger?: Logger;
  /** Counts jobs and outgoing deliveries. */
  readonly metrics?: Metrics;
}

export const domainUseCases: WorkerUseCases = {
  syncCustomerToStripe,
  generateCheckoutLink,
  collectInvoicePayment,
  collectPaymentRequest,
  refundCreditNote,
  handleStripeCommand,
  reconcilePayment,
  scheduleReconciliation,
  scheduleDisputeChecks,
  checkLostDisputes,
  scheduleWaitingCollections,
};

/** The worker's composition root: real adapters built with `new`, handed to `startWorker`. */
export function composeWorker(options: WorkerCompositionOptions): WorkerDeps {
  const { db, gateways, logger, metrics } = options;
  const ctx = {
    uow: db.unitOfWork,
    gateways,
    clock: options.clock ?? { now: () => new Date() },
    ids: options.ids ?? { next: () => randomUUID() },
    settings: { publicBaseUrl: options.publicBaseUrl },
    ...(logger === undefined ? {} : { logger }),
  };
  return {
    queue: db.queue,
    ctx,
    useCases: domainUseCases,
    inbox: db.inbox,
    inboxRedrive: persistenceInboxRedrive(db),
    translate: stripeEventTranslator(db, gateways),
    namesOurObject,
    webhooks: {
      store: metrics ? countingDeliveries(persistenceWebhookStore(db), metrics) : persistenceWebhookStore(db),
      render: lagoPayloadRenderer(db.reads),
      signingKey: options.signingKey,
    },
    settings: { ...DEFAULT_WORKER_SETTINGS, ...options.settings, webhookIssuer: options.apiUrl },
    ...(logger === undefined ? {} : { logger }),
    ...(metrics === undefined ? {} : { metrics }),
  };
}

/** Every recorded delivery attempt is also counted by outcome (the store is a plain object). */
function countingDeliveries(store: WebhookStore, metrics: Metrics): WebhookStore {
  return {
    ...store,
    async recordAttempt(attempt) {
      await store.recordAttempt(attempt);
      metrics.observeDelivery(
        attempt.succeeded ? 'succeeded' : attempt.httpStatus === null ? 'network_error' : 'http_error',
      );
    },
  };
}
