import type { JobCatalog, UseCaseContext } from '@payrail/domain';
import type { WorkerUseCases } from '../use-cases.js';
import { settleResult } from './outcome.js';
import type { JobHandler } from './types.js';

type Handlers = {
  readonly [K in
    | 'stripe.create_customer'
    | 'stripe.update_customer'
    | 'stripe.checkout_link'
    | 'payment.collect'
    | 'payment_request.collect'
    | 'payment.refund'
    | 'payment.reconcile'
    | 'stripe.check_disputes']: JobHandler<Readonly<JobCatalog[K]>>;
};

/**
 * Jobs that are one use case call each. The use cases load what they need, keep their own
 * idempotency (keys derived from our ids, state checks) and record provider failures for the
 * merchant; the handler only maps the Result onto the queue.
 */
export function useCaseJobHandlers(ctx: UseCaseContext, useCases: WorkerUseCases): Handlers {
  return {
    'stripe.create_customer': async ({ payload }) =>
      settleResult(await useCases.syncCustomerToStripe({ ctx, input: payload })),
    'stripe.update_customer': async ({ payload }) =>
      settleResult(await useCases.syncCustomerToStripe({ ctx, input: payload })),
    'stripe.checkout_link': async ({ payload }) =>
      settleResult(
        await useCases.generateCheckoutLink({
          ctx,
          input: {
            organizationId: payload.organizationId,
            customer: { id: payload.customerId },
            announce: true,
          },
        }),
      ),
    'payment.collect': async ({ payload }) =>
      settleResult(await useCases.collectInvoicePayment({ ctx, input: payload })),
    'payment_request.collect': async ({ payload }) =>
      settleResult(await useCases.collectPaymentRequest({ ctx, input: payload })),
    'payment.refund': async ({ payload }) =>
      settleResult(await useCases.refundCreditNote({ ctx, input: payload })),
    'payment.reconcile': async ({ payload }) =>
      settleResult(await useCases.reconcilePayment({ ctx, input: payload })),
    'stripe.check_disputes': async ({ payload }) =>
      settleResult(await useCases.checkLostDisputes({ ctx, input: payload })),
  };
}
