import { type DomainError, notFound } from '../errors.js';
import {
  isLinked,
  isPending,
  type LinkedStripeLink,
  providerCustomerCreated,
  providerCustomerFailed,
} from '../machines/billing-link.js';
import type { Id } from '../model/common.js';
import type { Customer } from '../model/customer.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { ProviderCustomerData } from '../ports/payment-gateway.js';
import { err, ok, type Result } from '../result.js';
import { needsSetup } from '../rules/payment-methods.js';
import { failureCode, gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { importPaymentMethod } from './steps/import-payment-method.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export interface SyncCustomerToStripeInput extends OrganizationScoped {
  readonly customerId: Id;
}

/**
 * Brings the Stripe side in line with the customer. Pending link: create the Stripe customer
 * (idempotency key `customer-{id}`), announce it and ask for a checkout link; a refusal is
 * recorded on the link and announced with `customer.payment_provider_error`. Linked: push
 * contact details and import the Stripe default method when we have none.
 * A `retryable` error leaves everything as is and returns `unavailable` for the job to retry.
 */
export const syncCustomerToStripe: UseCase<SyncCustomerToStripeInput, Customer> = async ({ ctx, input }) => {
  const loaded = await load(ctx, input);
  if (!loaded.ok) return loaded;
  const { customer, connection } = loaded.value;
  if (!connection) return ok(customer);
  if (isPending(customer.billing)) return create(ctx, customer, connection);
  if (isLinked(customer.billing)) return refresh(ctx, customer, customer.billing, connection);
  return ok(customer);
};

async function load(
  ctx: UseCaseContext,
  input: SyncCustomerToStripeInput,
): Promise<Result<{ customer: Customer; connection: StripeConnection | null }, DomainError>> {
  return inTx(ctx, input.organizationId, async (tx) => {
    const customer = await tx.customers.findById(input.customerId);
    if (!customer || customer.organizationId !== input.organizationId || customer.deletedAt) {
      return err(notFound('customer'));
    }
    if (customer.billing.provider !== 'stripe') return ok({ customer, connection: null });
    return ok({ customer, connection: await tx.stripeConnections.findById(customer.billing.connectionId) });
  });
}

export function providerCustomerData(customer: Customer): ProviderCustomerData {
  const fullName = [customer.firstname, customer.lastname].filter(Boolean).join(' ');
  return {
    name: customer.name ?? (fullName === '' ? null : fullName),
    email: customer.email?.split(',')[0]?.trim() || null,
    phone: customer.phone,
    address: customer.address,
  };
}

async function create(
  ctx: UseCaseContext,
  customer: Customer,
  connection: StripeConnection,
): Promise<Result<Customer, DomainError>> {
  const created = await gatewayFor(ctx, connection).createCustomer({
    ...providerCustomerData(customer),
    metadata: { lago_customer_id: customer.id, customer_id: customer.externalId },
    idempotencyKey: `customer-${customer.id}`,
  });
  if (!created.ok && created.error.code === 'retryable')
    return err(gatewayFailure(created.error, connection.code));

  return inTx(ctx, customer.organizationId, async (tx) => {
    const fresh = await tx.customers.findById(customer.id);
    if (!fresh || !isPending(fresh.billing) || fresh.billing.connectionId !== connection.id) {
      return ok(fresh ?? customer);
    }
    const now = ctx.clock.now();
    if (created.ok) {
      const stored = await tx.customers.update({
        ...fresh,
        billing: providerCustomerCreated(fresh.billing, created.value.providerCustomerId),
        updatedAt: now,
      });
      await tx.outbox.publish(
        newEvent(ctx, stored.organizationId, 'customer.payment_provider_created', {
          lago_customer_id: stored.id,
        }),
      );
      // Crypto and bank transfers are paid anew each time: nothing to save, so no setup link.
      if (stored.billing.provider === 'stripe' && needsSetup(stored.billing.paymentMethodTypes))
        await tx.jobs.enqueue({
          name: 'stripe.checkout_link',
          payload: { organizationId: stored.organizationId, customerId: stored.id },
          dedupeKey: `stripe.checkout_link:${stored.id}`,
        });
      return ok(stored);
    }
    const failure = { code: failureCode(created.error), message: created.error.message };
    const stored = await tx.customers.update({
      ...fresh,
      billing: providerCustomerFailed(fresh.billing, failure),
      updatedAt: now,
    });
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'customer.payment_provider_error', {
        lago_customer_id: stored.id,
        external_customer_id: stored.externalId,
        payment_provider: 'stripe',
        payment_provider_code: connection.code,
        provider_error: { message: failure.message, error_code: failure.code },
      }),
    );
    return ok(stored);
  });
}

async function refresh(
  ctx: UseCaseContext,
  customer: Customer,
  link: LinkedStripeLink,
  connection: StripeConnection,
): Promise<Result<Customer, DomainError>> {
  const gateway = gatewayFor(ctx, connection);
  const providerCustomerId = link.providerCustomer.providerCustomerId;
  const updated = await gateway.updateCustomer({ ...providerCustomerData(customer), providerCustomerId });
  if (!updated.ok) {
    if (updated.error.code === 'retryable') return err(gatewayFailure(updated.error, connection.code));
    await inTx(ctx, customer.organizationId, async (tx) => {
      await tx.outbox.publish(
        newEvent(ctx, customer.organizationId, 'customer.payment_provider_error', {
          lago_customer_id: customer.id,
          external_customer_id: customer.externalId,
          payment_provider: 'stripe',
          payment_provider_code: connection.code,
          provider_error: { message: updated.error.message, error_code: failureCode(updated.error) },
        }),
      );
      return ok(undefined);
    });
    return ok(customer);
  }
  if (link.defaultPaymentMethod !== null) return ok(customer);
  const fetched = await gateway.getDefaultPaymentMethod({ providerCustomerId });
  if (!fetched.ok) {
    return fetched.error.code === 'retryable'
      ? err(gatewayFailure(fetched.error, connection.code))
      : ok(customer);
  }
  if (!fetched.value) return ok(customer);
  const method = fetched.value;
  return inTx(ctx, customer.organizationId, async (tx) =>
    importPaymentMethod(ctx, tx, {
      customerId: customer.id,
      connectionId: connection.id,
      method,
      as: 'provider',
    }),
  );
}
