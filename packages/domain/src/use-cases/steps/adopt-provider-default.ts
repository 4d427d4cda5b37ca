import type { DomainError } from '../../errors.js';
import type { LinkedStripeLink } from '../../machines/billing-link.js';
import type { Customer } from '../../model/customer.js';
import type { StripeConnection } from '../../model/stripe-connection.js';
import { err, ok, type Result } from '../../result.js';
import { gatewayFailure, gatewayFor } from './gateway-errors.js';
import { importPaymentMethod } from './import-payment-method.js';
import { inTx } from './in-transaction.js';
import type { UseCaseContext } from './use-case-context.js';

/** No local method: Stripe may know one (e.g. an existing customer linked by id). */
export async function adoptProviderDefault(
  ctx: UseCaseContext,
  step: {
    readonly customer: Customer;
    readonly link: LinkedStripeLink;
    readonly connection: StripeConnection;
  },
): Promise<Result<boolean, DomainError>> {
  const gateway = gatewayFor(ctx, step.connection);
  const providerCustomerId = step.link.providerCustomer.providerCustomerId;
  const fetched = await gateway.getDefaultPaymentMethod({ providerCustomerId });
  if (!fetched.ok) {
    return fetched.error.code === 'retryable'
      ? err(gatewayFailure(fetched.error, step.connection.code))
      : ok(false);
  }
  let method = fetched.value;
  if (!method) {
    const listed = await gateway.listPaymentMethods({ providerCustomerId });
    if (!listed.ok) {
      return listed.error.code === 'retryable'
        ? err(gatewayFailure(listed.error, step.connection.code))
        : ok(false);
    }
    method = listed.value[0] ?? null;
  }
  if (!method) return ok(false);
  const found = method;
  const imported = await inTx(ctx, step.customer.organizationId, (tx) =>
    importPaymentMethod(ctx, tx, {
      customerId: step.customer.id,
      connectionId: step.connection.id,
      method: found,
      as: 'provider',
    }),
  );
  return imported.ok ? ok(true) : imported;
}
