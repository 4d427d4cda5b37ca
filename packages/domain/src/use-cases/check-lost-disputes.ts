import type { Id } from '../model/common.js';
import { err, ok } from '../result.js';
import { loseDispute } from './lose-dispute.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import { invoicesPaidBy } from './steps/payment-request-outcome.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface CheckLostDisputesInput extends OrganizationScoped {
  readonly connectionId: Id;
}

/**
 * How far before the cursor each check reads again: the provider's list and our clock may lag each
 * other a little, and applying a lost dispute twice changes nothing.
 */
export const DISPUTE_CHECK_OVERLAP_MS = 60 * 60 * 1000;

/**
 * Reads the disputes the provider closed as lost since the connection's last complete check and
 * applies each through `loseDispute`, as the `charge.dispute.closed` webhook would; a webhook that
 * arrives later (or already did) changes nothing. Disputes on payments Payrail did not make are
 * skipped. The cursor moves only once every dispute read is applied, so a failed run reads them
 * again.
 */
export const checkLostDisputes: UseCase<
  CheckLostDisputesInput,
  { readonly read: number; readonly applied: number }
> = async ({ ctx, input }) => {
  const loaded = await inTx(ctx, input.organizationId, async (tx) => {
    const connection = await tx.stripeConnections.findById(input.connectionId);
    if (!connection || connection.organizationId !== input.organizationId) return ok(null);
    return ok({ connection, checkedUntil: await tx.stripeConnections.disputesCheckedUntil(connection.id) });
  });
  if (!loaded.ok) return loaded;
  // A connection deleted since the job was queued has nothing left to learn.
  if (loaded.value === null) return ok({ read: 0, applied: 0 });
  const { connection, checkedUntil } = loaded.value;

  const startedAt = ctx.clock.now();
  const from = checkedUntil ?? connection.createdAt;
  const listed = await gatewayFor(ctx, connection).listLostDisputes({
    closedSince: new Date(from.getTime() - DISPUTE_CHECK_OVERLAP_MS),
  });
  if (!listed.ok) return err(gatewayFailure(listed.error, connection.code));

  let applied = 0;
  for (const dispute of listed.value) {
    const invoices = await ctx.uow.run(input.organizationId, async (tx) => {
      const payment = await tx.payments.findByProviderPaymentId(connection.id, dispute.providerPaymentId);
      if (!payment || payment.organizationId !== input.organizationId) return [];
      return tx.invoices.findByIds(await invoicesPaidBy(tx, payment));
    });
    for (const invoice of invoices) {
      if (invoice.paymentDisputeLostAt !== null) continue;
      const lost = await loseDispute({
        ctx,
        input: {
          organizationId: input.organizationId,
          invoiceId: invoice.id,
          reason: dispute.reason,
          lostAt: dispute.closedAt,
        },
      });
      if (!lost.ok) return lost;
      applied += 1;
      ctx.logger?.warn('lost dispute learnt by the sweep: its webhook never arrived', {
        connectionId: connection.id,
        invoiceId: invoice.id,
        providerDisputeId: dispute.providerDisputeId,
      });
    }
  }
  await ctx.uow.run(input.organizationId, (tx) =>
    tx.stripeConnections.recordDisputesChecked(connection.id, startedAt),
  );
  return ok({ read: listed.value.length, applied });
};
