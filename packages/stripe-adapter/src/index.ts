export { parseStripeApiBase, STRIPE_DEFAULT_ENDPOINT, type StripeEndpoint } from './client-options.js';
export { type StripeGateway, StripeGatewayFactory, type StripeGatewayFactoryOptions } from './gateway.js';
export {
  budgetAccount,
  type RequestBudget,
  type RequestRate,
  rateForKey,
  STRIPE_LIVE_REQUESTS_PER_SECOND,
  STRIPE_TEST_REQUESTS_PER_SECOND,
  type StripePacingOptions,
} from './pacing.js';
export { DEFAULT_RATE_LIMIT_RETRY, type RateLimitRetryPolicy } from './retry.js';
export {
  DEFAULT_MAX_NETWORK_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type StripeClientOptions,
  type StripeResponseRecord,
  stripeOperation,
} from './stripe-client.js';
export {
  type PaymentMethodReader,
  type StripeEventSource,
  translateStripeEvent,
} from './translate/events.js';
export { parseStripeEvent, type StripeWebhookEvent, type WebhookMalformed } from './webhooks/event.js';
export { HANDLED_STRIPE_EVENTS, type HandledStripeEvent } from './webhooks/handled-events.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type VerifyStripeWebhookInput,
  verifyStripeWebhook,
  type WebhookVerificationError,
} from './webhooks/verify.js';
