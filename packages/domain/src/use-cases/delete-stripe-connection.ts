import { notAllowed, notFound } from '../errors.js';
import type { Id } from '../model/common.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import { err, ok } from '../result.js';
import { gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { unlinkCustomer } from './steps/unlink-customer.js';
import type { UseCase } from './steps/use-case-context.js';

export interface DeleteStripeConnectionInput extends OrganizationScoped {
  readonly connectionId: Id;
}

/**
 * Unlinks every customer of the connection and deletes it in one transaction, then removes the
 * webhook endpoint from the Stripe account so it stops sending events nobody can verify. Refused
 * while a payment through the connection is still out at Stripe: its outcome can only arrive
 * through this connection (webhook or reconciliation), so deleting it would strand the invoice.
 * Refused as well once any payment went through it: payments are financial records and keep their
 * connection (a refund goes through it). The payment methods saved on it go with it.
 */
export const deleteStripeConnection: UseCase<DeleteStripeConnectionInput, StripeConnection> = async ({
  ctx,
  input,
}) => {
  const deleted = await inTx(ctx, input.organizationId, async (tx) => {
    const connection = await tx.stripeConnections.findById(input.connectionId);
    if (!connection || connection.organizationId !== input.organizationId)
      return err(notFound('stripe_connection'));
    const inFlight = await tx.payments.findInFlightForConnection(connection.id);
    if (inFlight) {
      return err(
        notAllowed(
          'payment_processor_is_currently_handling_payment',
          'a payment through this Stripe connection is still being processed; delete it once it has settled',
          { paymentId: inFlight.id },
        ),
      );
    }
    if (await tx.stripeConnections.hasPayments(connection.id)) {
      return err(
        notAllowed(
          'stripe_connection_in_use',
          'payments went through this Stripe connection; they keep pointing at it',
        ),
      );
    }
    const now = ctx.clock.now();
    for (const customer of await tx.customers.listByConnection(connection.id)) {
      await tx.customers.update(await unlinkCustomer(tx, customer, now));
    }
    await tx.paymentMethods.deleteAllOfConnection(connection.id);
    await tx.stripeConnections.delete(connection);
    return ok(connection);
  });
  if (!deleted.ok) return deleted;

  const removed = await gatewayFor(ctx, deleted.value).deleteWebhookEndpoint({
    providerEndpointId: deleted.value.webhookEndpoint.providerEndpointId,
  });
  if (!removed.ok) {
    ctx.logger?.warn('webhook endpoint of a deleted stripe connection could not be removed', {
      connectionId: deleted.value.id,
      providerEndpointId: deleted.value.webhookEndpoint.providerEndpointId,
      error: removed.error.code,
    });
  }
  return deleted;
};
