export type { Clock } from './clock.js';
export type { IdGenerator, IdKind } from './id-generator.js';
export type { JobCatalog, JobName, JobRequest, JobScheduler } from './jobs.js';
export type { Logger } from './logger.js';
export type { Outbox } from './outbox.js';
export type {
  GatewayCredentials,
  GatewayError,
  GatewayErrorCode,
  GatewayErrorDetails,
  GatewayResult,
  LostDispute,
  PaymentCheckoutState,
  PaymentGateway,
  PaymentGatewayFactory,
  PaymentIntentOutcome,
  ProviderCustomerData,
  RefundOutcome,
} from './payment-gateway.js';
export type * from './repositories.js';
export type { Tx, UnitOfWork } from './unit-of-work.js';
