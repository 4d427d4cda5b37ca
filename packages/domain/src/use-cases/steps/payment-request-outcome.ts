import {
  recordPaymentFailed,
  recordPaymentSucceeded,
  recordRequiresAction,
} from '../../machines/invoice-machine.js';
import { recordRequestFailed, recordRequestSucceeded } from '../../machines/payment-request-machine.js';
import type { Id, ProviderFailure } from '../../model/common.js';
import type { Invoice } from '../../model/invoice.js';
import type { Payment } from '../../model/payment.js';
import type { PaymentRequest } from '../../model/payment-request.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { assertNever } from '../../result.js';
import { newEvent } from './new-event.js';
import type { UseCaseContext } from './use-case-context.js';

/** The invoices an attempt pays: its invoice, or every invoice of its payment request. */
export async function invoicesPaidBy(tx: Tx, payment: Payment): Promise<readonly Id[]> {
  if (!payment.paymentRequestId) return [payment.invoiceId];
  const request = await tx.paymentRequests.findById(payment.paymentRequestId);
  return request ? request.items.map((item) => item.invoiceId) : [payment.invoiceId];
}

/**
 * Applies a payment request attempt's new state (already stored) to the request and to every
 * invoice it collects, inside `tx`: all succeed or all fail together, each invoice through the
 * invoice machine, with Lago's webhooks (`invoice.payment_status_updated` per invoice that moved,
 * `payment_request.payment_status_updated`, and `payment_request.payment_failure` on failure).
 * Returns the request's first invoice, the one the payment row names.
 */
export async function applyToPaymentRequest(
  ctx: UseCaseContext,
  tx: Tx,
  payment: Payment,
  now: Date,
): Promise<Invoice> {
  const requestId = payment.paymentRequestId;
  if (!requestId) throw new Error(`payment ${payment.id} pays no payment request`);
  const request = await tx.paymentRequests.findById(requestId);
  if (!request) throw new Error(`payment request ${requestId} of payment ${payment.id} not found`);
  const org = payment.organizationId;
  const invoices = await tx.invoices.findByIds(request.items.map((item) => item.invoiceId));
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  const anchor = byId.get(payment.invoiceId);
  if (!anchor) throw new Error(`invoice ${payment.invoiceId} of payment ${payment.id} not found`);
  const stored = new Map<Id, Invoice>();
  const store = async (invoice: Invoice, announce: boolean) => {
    const saved = await tx.invoices.update(invoice);
    stored.set(saved.id, saved);
    if (announce) {
      await tx.outbox.publish(
        newEvent(ctx, org, 'invoice.payment_status_updated', { lago_invoice_id: saved.id }),
      );
    }
  };

  switch (payment.status) {
    case 'pending':
    case 'processing':
      return anchor;
    case 'requires_action': {
      await tx.outbox.publish(
        newEvent(ctx, org, 'payment.requires_action', {
          lago_payment_id: payment.id,
          next_action: payment.nextAction,
        }),
      );
      for (const invoice of invoices) {
        const moved = recordRequiresAction(invoice, payment.id, now);
        if (moved.changed) await store(moved.invoice, false);
      }
      return stored.get(anchor.id) ?? anchor;
    }
    case 'succeeded': {
      await tx.outbox.publish(newEvent(ctx, org, 'payment.succeeded', { lago_payment_id: payment.id }));
      for (const item of request.items) {
        const invoice = byId.get(item.invoiceId);
        if (!invoice) continue;
        const moved = recordPaymentSucceeded(invoice, { ...payment, amountCents: item.amountCents }, now);
        if (!moved.changed) {
          ctx.logger?.error('payment request succeeded for an invoice that no longer expected it', {
            paymentId: payment.id,
            paymentRequestId: request.id,
            invoiceId: invoice.id,
            invoiceStatus: invoice.status,
            paymentStatus: invoice.payment.status,
          });
          continue;
        }
        await store(moved.invoice, true);
      }
      const settled = recordRequestSucceeded(request, payment, now);
      if (settled.changed) await storeRequest(ctx, tx, settled.request, null);
      return stored.get(anchor.id) ?? anchor;
    }
    case 'failed': {
      for (const invoice of invoices) {
        const moved = recordPaymentFailed(invoice, payment, now);
        if (moved.changed) await store(moved.invoice, moved.invoice.payment.status === 'failed');
      }
      const failed = recordRequestFailed(request, payment.failure, now);
      if (failed.changed) await storeRequest(ctx, tx, failed.request, payment.failure);
      return stored.get(anchor.id) ?? anchor;
    }
    default:
      return assertNever(payment, 'payment');
  }
}

/**
 * Stores a request whose status moved and announces it: `payment_request.payment_status_updated`,
 * preceded by `payment_request.payment_failure` with the provider's message when it failed.
 */
export async function storeRequest(
  ctx: UseCaseContext,
  tx: Tx,
  request: PaymentRequest,
  failure: ProviderFailure | null,
): Promise<PaymentRequest> {
  const stored = await tx.paymentRequests.update(request);
  const org = stored.organizationId;
  if (stored.paymentStatus === 'failed') {
    const customer = await tx.customers.findById(stored.customerId);
    if (!customer) throw new Error(`customer ${stored.customerId} not found`);
    const link = customer.billing;
    const connection =
      link.provider === 'stripe' ? await tx.stripeConnections.findById(link.connectionId) : null;
    await tx.outbox.publish(
      newEvent(ctx, org, 'payment_request.payment_failure', {
        lago_payment_request_id: stored.id,
        lago_invoice_ids: stored.items.map((item) => item.invoiceId),
        lago_customer_id: stored.customerId,
        external_customer_id: customer.externalId,
        provider_customer_id:
          link.provider === 'stripe' && link.providerCustomer.status === 'linked'
            ? link.providerCustomer.providerCustomerId
            : null,
        payment_provider: link.provider === 'stripe' ? 'stripe' : null,
        payment_provider_code: connection?.code ?? null,
        provider_error: failure ? { message: failure.message, error_code: failure.code } : null,
      }),
    );
  }
  await tx.outbox.publish(
    newEvent(ctx, org, 'payment_request.payment_status_updated', { lago_payment_request_id: stored.id }),
  );
  return stored;
}
