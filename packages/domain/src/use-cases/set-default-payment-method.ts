import { notFound, validation } from '../errors.js';
import { isLinked, withDefault } from '../machines/billing-link.js';
import type { Id } from '../model/common.js';
import type { Customer } from '../model/customer.js';
import { err, ok } from '../result.js';
import { defaultAfterManualChoice } from '../rules/default-payment-method.js';
import { enqueueAwaitingCollection } from './steps/enqueue-awaiting-collection.js';
import { findCustomer } from './steps/find-customer.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import type { CustomerRef, OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface SetDefaultPaymentMethodInput extends OrganizationScoped {
  readonly customer: CustomerRef;
  /** Our payment method id (`lago_id`). */
  readonly paymentMethodId: Id;
}

/** A default chosen by hand: Stripe is told first, then it wins over the most recent method. */
export const setDefaultPaymentMethod: UseCase<SetDefaultPaymentMethodInput, Customer> = async ({
  ctx,
  input,
}) => {
  const loaded = await inTx(ctx, input.organizationId, async (tx) => {
    const found = await findCustomer(tx, input.organizationId, input.customer);
    if (!found.ok) return found;
    const customer = found.value;
    if (!isLinked(customer.billing)) return err(validation({ base: ['no_linked_payment_provider'] }));
    const method = await tx.paymentMethods.findById(input.paymentMethodId);
    if (!method || method.customerId !== customer.id || method.deletedAt)
      return err(notFound('payment_method'));
    const connection = await tx.stripeConnections.findById(customer.billing.connectionId);
    if (!connection) return err(validation({ base: ['no_linked_payment_provider'] }));
    return ok({ customer, link: customer.billing, method, connection });
  });
  if (!loaded.ok) return loaded;
  const { link, method, connection } = loaded.value;

  const told = await gatewayFor(ctx, connection).setDefaultPaymentMethod({
    providerCustomerId: link.providerCustomer.providerCustomerId,
    providerPaymentMethodId: method.providerPaymentMethodId,
  });
  if (!told.ok) return err(gatewayFailure(told.error, connection.code));

  return inTx(ctx, input.organizationId, async (tx) => {
    const fresh = await tx.customers.findById(loaded.value.customer.id);
    if (!fresh || !isLinked(fresh.billing) || fresh.billing.connectionId !== connection.id) {
      return err(validation({ base: ['no_linked_payment_provider'] }));
    }
    const stored = await tx.customers.update({
      ...fresh,
      billing: withDefault(fresh.billing, defaultAfterManualChoice(method)),
      updatedAt: ctx.clock.now(),
    });
    await enqueueAwaitingCollection(tx, stored);
    return ok(stored);
  });
};
