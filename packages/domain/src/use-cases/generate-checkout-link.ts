import { validation } from '../errors.js';
import { isLinked } from '../machines/billing-link.js';
import type { Customer } from '../model/customer.js';
import { err, ok } from '../result.js';
import { setupCapableMethods } from '../rules/payment-methods.js';
import { findCustomer } from './steps/find-customer.js';
import { failureCode, gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { CustomerRef, OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface GenerateCheckoutLinkInput extends OrganizationScoped {
  readonly customer: CustomerRef;
  /** Send `customer.checkout_url_generated` (the automatic path); the API's regenerate call does not. */
  readonly announce: boolean;
}

export interface CheckoutLink {
  readonly customer: Customer;
  readonly paymentProviderCode: string;
  readonly url: string;
  readonly expiresAt: Date;
}

export const CHECKOUT_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * A setup-mode checkout for the customer's setup-capable methods, returning to the connection's
 * success URL (or the provider's page), valid 24 hours. Each call makes a new link.
 */
export const generateCheckoutLink: UseCase<GenerateCheckoutLinkInput, CheckoutLink> = async ({
  ctx,
  input,
}) => {
  const loaded = await inTx(ctx, input.organizationId, async (tx) => {
    const found = await findCustomer(tx, input.organizationId, input.customer);
    if (!found.ok) return found;
    const customer = found.value;
    if (!isLinked(customer.billing)) return err(validation({ base: ['no_linked_payment_provider'] }));
    const connection = await tx.stripeConnections.findById(customer.billing.connectionId);
    if (!connection) return err(validation({ base: ['no_linked_payment_provider'] }));
    return ok({ customer, link: customer.billing, connection });
  });
  if (!loaded.ok) return loaded;
  const { customer, link, connection } = loaded.value;

  const methods = setupCapableMethods(link.paymentMethodTypes, customer.currency);
  if (methods.length === 0) {
    return err(validation({ provider_payment_methods: ['no_payment_methods_to_setup_available'] }));
  }
  const expiresAt = new Date(ctx.clock.now().getTime() + CHECKOUT_LINK_LIFETIME_MS);
  const session = await gatewayFor(ctx, connection).createSetupCheckoutSession({
    providerCustomerId: link.providerCustomer.providerCustomerId,
    methods,
    successUrl: connection.successRedirectUrl,
    currency: customer.currency,
    expiresAt,
  });

  if (!session.ok) {
    const error = session.error;
    if (input.announce && error.code !== 'retryable') {
      await inTx(ctx, input.organizationId, async (tx) => {
        await tx.outbox.publish(
          newEvent(ctx, input.organizationId, 'customer.payment_provider_error', {
            lago_customer_id: customer.id,
            external_customer_id: customer.externalId,
            payment_provider: 'stripe',
            payment_provider_code: connection.code,
            provider_error: { message: error.message, error_code: failureCode(error) },
          }),
        );
        return ok(undefined);
      });
    }
    if (error.code === 'retryable' || error.code === 'invalid_credentials') {
      return err(gatewayFailure(error, connection.code));
    }
    return err({ kind: 'third_party', code: 'third_party_error', message: error.message, retryable: false });
  }

  const result: CheckoutLink = {
    customer,
    paymentProviderCode: connection.code,
    url: session.value.url,
    expiresAt: session.value.expiresAt,
  };
  if (input.announce) {
    await inTx(ctx, input.organizationId, async (tx) => {
      await tx.outbox.publish(
        newEvent(ctx, input.organizationId, 'customer.checkout_url_generated', {
          lago_customer_id: customer.id,
          external_customer_id: customer.externalId,
          payment_provider: 'stripe',
          payment_provider_code: connection.code,
          checkout_url: result.url,
        }),
      );
      return ok(undefined);
    });
  }
  return ok(result);
};
