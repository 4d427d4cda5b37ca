import type {
  GatewayCredentials,
  GatewayResult,
  PaymentGateway,
  PaymentGatewayFactory,
  ProviderPaymentMethod,
} from '@payrail/domain';
import * as checkout from './operations/checkout.js';
import type { OperationContext } from './operations/context.js';
import * as customers from './operations/customers.js';
import * as disputes from './operations/disputes.js';
import * as paymentIntents from './operations/payment-intents.js';
import * as paymentMethods from './operations/payment-methods.js';
import * as refunds from './operations/refunds.js';
import * as webhookEndpoints from './operations/webhook-endpoints.js';
import { DEFAULT_RATE_LIMIT_RETRY, type RateLimitRetryPolicy } from './retry.js';
import { StripeClientCache, type StripeClientOptions } from './stripe-client.js';
import type { PaymentMethodReader } from './translate/events.js';
import { HANDLED_STRIPE_EVENTS } from './webhooks/handled-events.js';

export interface StripeGatewayFactoryOptions extends StripeClientOptions {
  /** In-adapter retries of 429s before `retryable` goes back to the caller. */
  readonly rateLimitRetry?: Partial<RateLimitRetryPolicy>;
  /** Events registered on webhook endpoints; defaults to `HANDLED_STRIPE_EVENTS`. */
  readonly webhookEvents?: readonly string[];
}

type Input<K extends keyof PaymentGateway> = Parameters<PaymentGateway[K]>[0];

/**
 * The `PaymentGateway` port for one Stripe account (one secret key), plus the payment-method read
 * the event translator needs. A type only: the SDK client behind it never leaves this package.
 */
export interface StripeGateway extends PaymentGateway, PaymentMethodReader {}

class StripeAccountGateway implements StripeGateway {
  readonly #ctx: OperationContext;

  constructor(ctx: OperationContext) {
    this.#ctx = ctx;
  }

  registerWebhookEndpoint(input: Input<'registerWebhookEndpoint'>) {
    return webhookEndpoints.registerWebhookEndpoint(this.#ctx, input);
  }
  updateWebhookEndpoint(input: Input<'updateWebhookEndpoint'>) {
    return webhookEndpoints.updateWebhookEndpoint(this.#ctx, input);
  }
  deleteWebhookEndpoint(input: Input<'deleteWebhookEndpoint'>) {
    return webhookEndpoints.deleteWebhookEndpoint(this.#ctx, input);
  }
  createCustomer(input: Input<'createCustomer'>) {
    return customers.createCustomer(this.#ctx, input);
  }
  updateCustomer(input: Input<'updateCustomer'>) {
    return customers.updateCustomer(this.#ctx, input);
  }
  createSetupCheckoutSession(input: Input<'createSetupCheckoutSession'>) {
    return checkout.createSetupCheckoutSession(this.#ctx, input);
  }
  createPaymentCheckoutSession(input: Input<'createPaymentCheckoutSession'>) {
    return checkout.createPaymentCheckoutSession(this.#ctx, input);
  }
  retrievePaymentCheckoutSession(input: Input<'retrievePaymentCheckoutSession'>) {
    return checkout.retrievePaymentCheckoutSession(this.#ctx, input);
  }
  expirePaymentCheckoutSession(input: Input<'expirePaymentCheckoutSession'>) {
    return checkout.expirePaymentCheckoutSession(this.#ctx, input);
  }
  listPaymentMethods(input: Input<'listPaymentMethods'>) {
    return paymentMethods.listPaymentMethods(this.#ctx, input);
  }
  getDefaultPaymentMethod(input: Input<'getDefaultPaymentMethod'>) {
    return paymentMethods.getDefaultPaymentMethod(this.#ctx, input);
  }
  setDefaultPaymentMethod(input: Input<'setDefaultPaymentMethod'>) {
    return paymentMethods.setDefaultPaymentMethod(this.#ctx, input);
  }
  createPaymentIntent(input: Input<'createPaymentIntent'>) {
    return paymentIntents.createPaymentIntent(this.#ctx, input);
  }
  retrievePaymentIntent(input: Input<'retrievePaymentIntent'>) {
    return paymentIntents.retrievePaymentIntent(this.#ctx, input);
  }
  findPaymentIntent(input: Input<'findPaymentIntent'>) {
    return paymentIntents.findPaymentIntent(this.#ctx, input);
  }
  listLostDisputes(input: Input<'listLostDisputes'>) {
    return disputes.listLostDisputes(this.#ctx, input);
  }
  createRefund(input: Input<'createRefund'>) {
    return refunds.createRefund(this.#ctx, input);
  }

  /**
   * Not on the port: the event translator needs a method's details when an event names it by id.
   * Null when it no longer exists or is not attached to a customer.
   */
  retrievePaymentMethod(input: {
    readonly providerPaymentMethodId: string;
  }): GatewayResult<ProviderPaymentMethod | null> {
    return paymentMethods.retrievePaymentMethod(this.#ctx, input);
  }
}

export class StripeGatewayFactory implements PaymentGatewayFactory {
  readonly #clients: StripeClientCache;
  readonly #retry: RateLimitRetryPolicy;
  readonly #webhookEvents: readonly string[];

  constructor(options: StripeGatewayFactoryOptions = {}) {
    this.#clients = new StripeClientCache(options);
    this.#retry = { ...DEFAULT_RATE_LIMIT_RETRY, ...options.rateLimitRetry };
    this.#webhookEvents = options.webhookEvents ?? HANDLED_STRIPE_EVENTS;
  }

  forConnection(credentials: GatewayCredentials): StripeGateway {
    return new StripeAccountGateway({
      stripe: this.#clients.get(credentials.secretKey.reveal()),
      retry: this.#retry,
      webhookEvents: this.#webhookEvents,
    });
  }
}
