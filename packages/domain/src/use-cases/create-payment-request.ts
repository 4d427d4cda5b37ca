import { notFound } from '../errors.js';
import { openPaymentRequest } from '../machines/payment-request-machine.js';
import type { Id } from '../model/common.js';
import type { PaymentRequest } from '../model/payment-request.js';
import { err, ok } from '../result.js';
import { isoDate } from '../rules/numbering.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { UseCase } from './steps/use-case-context.js';

export interface CreatePaymentRequestInput {
  readonly organizationId: Id;
  readonly externalCustomerId: string;
  /** Where to send the request; the customer's email when absent. */
  readonly email: string | null;
  readonly invoiceIds: readonly Id[];
}

/**
 * Lago's `POST /payment_requests`: the customer's overdue invoices (one currency, none with an
 * attempt out) become one request for their sum, announced with `payment_request.created`, and one
 * `payment_request.collect` job charges it, in the same transaction. A refusal changes nothing.
 */
export const createPaymentRequest: UseCase<CreatePaymentRequestInput, PaymentRequest> = async ({
  ctx,
  input,
}) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const customer = await tx.customers.findByExternalId(input.organizationId, input.externalCustomerId);
    if (!customer || customer.deletedAt) return err(notFound('customer'));
    const found = await tx.invoices.findByIds([...new Set(input.invoiceIds)]);
    const now = ctx.clock.now();
    const opened = openPaymentRequest({
      id: ctx.ids.next('payment_request'),
      organizationId: input.organizationId,
      customerId: customer.id,
      email: input.email ?? customer.email,
      invoiceIds: input.invoiceIds,
      invoices: found.filter((invoice) => invoice.organizationId === input.organizationId),
      today: isoDate(now),
      at: now,
    });
    if (!opened.ok) return opened;
    const stored = await tx.paymentRequests.insert(opened.value);
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'payment_request.created', { lago_payment_request_id: stored.id }),
    );
    await tx.jobs.enqueue({
      name: 'payment_request.collect',
      payload: { organizationId: stored.organizationId, paymentRequestId: stored.id },
      dedupeKey: `payment_request.collect:${stored.id}`,
    });
    return ok(stored);
  });
