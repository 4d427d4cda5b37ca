import type { Customer } from '../model/customer.js';
import { ok } from '../result.js';
import type { UseCase } from './steps/use-case-context.js';
import { syncCustomerToStripe } from './sync-customer-to-stripe.js';
import type { UpsertCustomerInput } from './upsert-customer.js';
import { upsertCustomer } from './upsert-customer.js';

/**
 * Lago's `POST /customers` as a whole: the upsert, then, when `billing_configuration.sync` asks
 * for it, the Stripe customer created right away. A sync that does not complete refuses nothing:
 * the customer is saved, the failure is logged, and the queued job creates the Stripe customer.
 */
export const saveCustomer: UseCase<UpsertCustomerInput, Customer> = async ({ ctx, input }) => {
  const upserted = await upsertCustomer({ ctx, input });
  if (!upserted.ok) return upserted;
  const { customer, syncNow } = upserted.value;
  if (!syncNow) return ok(customer);
  const synced = await syncCustomerToStripe({
    ctx,
    input: { organizationId: input.organizationId, customerId: customer.id },
  });
  if (synced.ok) return synced;
  ctx.logger?.warn('customer sync with Stripe did not complete', { code: synced.error.code });
  return ok(customer);
};
