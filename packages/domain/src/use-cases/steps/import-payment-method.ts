import { type DomainError, notFound } from '../../errors.js';
import { isLinked, withDefault } from '../../machines/billing-link.js';
import type { Id } from '../../model/common.js';
import type { Customer } from '../../model/customer.js';
import type { PaymentMethod, ProviderPaymentMethod } from '../../model/payment-method.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { err, ok, type Result } from '../../result.js';
import { defaultAfterNewMethod, defaultAfterProviderChange } from '../../rules/default-payment-method.js';
import { enqueueAwaitingCollection } from './enqueue-awaiting-collection.js';
import type { UseCaseContext } from './use-case-context.js';

/**
 * Records a provider method locally (once) and makes it the default: `new_method` when the customer
 * just saved it, `provider` when Stripe reports it as the default. Then the invoices that were
 * waiting for a method are sent for collection.
 */
export async function importPaymentMethod(
  ctx: UseCaseContext,
  tx: Tx,
  args: {
    readonly customerId: Id;
    readonly connectionId: Id;
    readonly method: ProviderPaymentMethod;
    readonly as: 'new_method' | 'provider';
  },
): Promise<Result<Customer, DomainError>> {
  const customer = await tx.customers.findById(args.customerId);
  if (!customer) return err(notFound('customer'));
  if (!isLinked(customer.billing) || customer.billing.connectionId !== args.connectionId) return ok(customer);
  const now = ctx.clock.now();
  const known = await tx.paymentMethods.findByProviderId(customer.id, args.method.providerPaymentMethodId);
  let local: PaymentMethod;
  if (known && known.deletedAt === null) local = known;
  else if (known) local = await tx.paymentMethods.update({ ...known, deletedAt: null, updatedAt: now });
  else {
    local = await tx.paymentMethods.insert({
      id: ctx.ids.next('payment_method'),
      organizationId: customer.organizationId,
      customerId: customer.id,
      connectionId: args.connectionId,
      providerCustomerId: customer.billing.providerCustomer.providerCustomerId,
      providerPaymentMethodId: args.method.providerPaymentMethodId,
      type: args.method.type,
      details: args.method.details,
      deletedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }
  const current = customer.billing.defaultPaymentMethod;
  if (current?.paymentMethodId === local.id) {
    await enqueueAwaitingCollection(tx, customer);
    return ok(customer);
  }
  const choice = args.as === 'new_method' ? defaultAfterNewMethod(local) : defaultAfterProviderChange(local);
  const stored = await tx.customers.update({
    ...customer,
    billing: withDefault(customer.billing, choice),
    updatedAt: now,
  });
  await enqueueAwaitingCollection(tx, stored);
  return ok(stored);
}
