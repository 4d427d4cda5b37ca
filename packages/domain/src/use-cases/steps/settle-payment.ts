import { type DomainError, notFound } from '../../errors.js';
import type { PaymentErrorDetails } from '../../events.js';
import {
  recordPaymentFailed,
  recordPaymentSucceeded,
  recordRequiresAction,
  releaseAttempt,
} from '../../machines/invoice-machine.js';
import { applyIntentOutcome, isInFlight, markFailed } from '../../machines/payment-machine.js';
import type { Invoice } from '../../model/invoice.js';
import type { Payment } from '../../model/payment.js';
import type { GatewayError, PaymentIntentOutcome } from '../../ports/payment-gateway.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { assertNever, err, ok, type Result } from '../../result.js';
import type { PaymentOutcomeResult } from '../apply-payment-outcome.js';
import { failureCode, gatewayFailure } from './gateway-errors.js';
import { newEvent } from './new-event.js';
import { applyToPaymentRequest } from './payment-request-outcome.js';
import type { UseCaseContext } from './use-case-context.js';

/**
 * What the provider answered for an attempt: an intent outcome, a refusal to create it, or (for a
 * payment link) that its page closed unpaid.
 */
export type ProviderAnswer =
  | { readonly kind: 'outcome'; readonly outcome: PaymentIntentOutcome }
  | { readonly kind: 'refused'; readonly error: GatewayError }
  | { readonly kind: 'link_closed' };

/** A payment link's page closed without payment: not a failure of the customer's means. */
const LINK_CLOSED = { code: 'payment_link_expired', message: 'The payment link expired unpaid.' };

/**
 * Applies a provider answer to a payment and its invoice, inside `tx`, through the state machines.
 * Duplicates and late answers change nothing. A `retryable` refusal returns `unavailable` and
 * changes nothing, so the job retries with the same payment (and idempotency key).
 */
export async function settlePayment(
  ctx: UseCaseContext,
  tx: Tx,
  paymentId: string,
  answer: ProviderAnswer,
): Promise<Result<PaymentOutcomeResult, DomainError>> {
  const payment = await tx.payments.findById(paymentId);
  if (!payment) return err(notFound('payment'));
  const invoice = await tx.invoices.findById(payment.invoiceId);
  if (!invoice) return err(notFound('invoice'));
  const now = ctx.clock.now();

  let next: Payment = payment;
  let errorDetails: PaymentErrorDetails = {};
  if (answer.kind === 'outcome') {
    const applied = applyIntentOutcome(payment, answer.outcome, now);
    if (!applied.ok) {
      ctx.logger?.warn('payment outcome for another provider payment ignored', {
        paymentId: payment.id,
        providerPaymentId: answer.outcome.providerPaymentId,
      });
      return ok({ payment, invoice, changed: false });
    }
    next = applied.value.payment;
    if (payment.status === 'failed' && next.status === 'succeeded') {
      ctx.logger?.error('the provider took money for a payment recorded as failed; following the provider', {
        paymentId: payment.id,
        invoiceId: payment.invoiceId,
        providerPaymentId: answer.outcome.providerPaymentId,
        recordedFailure: payment.failure.code,
      });
    }
    if (answer.outcome.status === 'failed') {
      errorDetails = { code: answer.outcome.code, message: answer.outcome.message };
    }
  } else if (answer.kind === 'link_closed') {
    // Only a page nobody paid closes: once its intent is processing, the intent decides.
    if (payment.status !== 'pending' || payment.checkout === null) {
      return ok({ payment, invoice, changed: false });
    }
    next = markFailed(payment, LINK_CLOSED, { at: now, canceled: true });
  } else {
    const error = answer.error;
    if (error.code === 'retryable') return err(gatewayFailure(error, payment.connectionId));
    if (!isInFlight(payment)) return ok({ payment, invoice, changed: false });
    const providerPaymentId = 'providerPaymentId' in error ? error.providerPaymentId : null;
    next = markFailed(
      payment,
      { code: failureCode(error), message: error.message },
      {
        at: now,
        providerPaymentId,
        belowMinimum: error.code === 'amount_too_small',
        // A link whose page the provider would not make ends like one that expired (0230).
        canceled: payment.checkout !== null,
      },
    );
    errorDetails = {
      code: failureCode(error),
      message: error.message,
      ...('details' in error && error.details
        ? {
            request_id: error.details.requestId,
            http_status: error.details.httpStatus,
            http_body: error.details.httpBody,
          }
        : {}),
    };
  }
  if (next === payment) return ok({ payment, invoice, changed: false });

  const storedPayment = await tx.payments.update(next);
  const storedInvoice = storedPayment.paymentRequestId
    ? await applyToPaymentRequest(ctx, tx, storedPayment, now)
    : await applyToInvoice(ctx, tx, invoice, storedPayment, errorDetails, now, {
        announceRelease: answer.kind === 'refused',
      });
  return ok({ payment: storedPayment, invoice: storedInvoice, changed: true });
}

async function applyToInvoice(
  ctx: UseCaseContext,
  tx: Tx,
  invoice: Invoice,
  payment: Payment,
  errorDetails: PaymentErrorDetails,
  now: Date,
  options: { readonly announceRelease: boolean },
): Promise<Invoice> {
  const org = invoice.organizationId;
  switch (payment.status) {
    case 'pending':
    case 'processing':
      return invoice;
    case 'requires_action': {
      const moved = recordRequiresAction(invoice, payment.id, now);
      await tx.outbox.publish(
        newEvent(ctx, org, 'payment.requires_action', {
          lago_payment_id: payment.id,
          next_action: payment.nextAction,
        }),
      );
      return moved.changed ? tx.invoices.update(moved.invoice) : invoice;
    }
    case 'succeeded': {
      await tx.outbox.publish(newEvent(ctx, org, 'payment.succeeded', { lago_payment_id: payment.id }));
      const displaced =
        invoice.payment.status === 'pending' && invoice.payment.inFlightPaymentId !== payment.id
          ? invoice.payment.inFlightPaymentId
          : null;
      const moved = recordPaymentSucceeded(invoice, payment, now);
      if (!moved.changed) {
        // Money arrived for an invoice that is already settled or voided: someone must refund it.
        ctx.logger?.error('payment succeeded on an invoice that no longer expected it', {
          paymentId: payment.id,
          invoiceId: invoice.id,
          invoiceStatus: invoice.status,
          paymentStatus: invoice.payment.status,
        });
        return invoice;
      }
      const stored = await tx.invoices.update(moved.invoice);
      await tx.outbox.publish(
        newEvent(ctx, org, 'invoice.payment_status_updated', { lago_invoice_id: invoice.id }),
      );
      if (displaced !== null) {
        // Another attempt was still out (e.g. an open payment link) when this one's money arrived:
        // read it at once, so an open page is closed before the customer can pay twice.
        await tx.jobs.enqueue({
          name: 'payment.reconcile',
          payload: { organizationId: org, paymentId: displaced },
          dedupeKey: `payment.reconcile:${displaced}`,
        });
      }
      return stored;
    }
    case 'failed': {
      if (payment.checkout !== null && payment.canceled) {
        const released = releaseAttempt(invoice, payment.id, now);
        if (!released.changed) return invoice;
        const stored = await tx.invoices.update(released.invoice);
        if (options.announceRelease) {
          await publishPaymentFailure(ctx, tx, stored, payment.failure, errorDetails);
        }
        // Collection resumes where the link left off: a method saved meanwhile is charged now.
        await tx.jobs.enqueue({
          name: 'payment.collect',
          payload: { organizationId: org, invoiceId: invoice.id },
          dedupeKey: `payment.collect:${invoice.id}`,
        });
        return stored;
      }
      const moved = recordPaymentFailed(invoice, payment, now);
      if (!moved.changed) return invoice;
      const stored = await tx.invoices.update(moved.invoice);
      if (stored.payment.status === 'failed') {
        await publishPaymentFailure(ctx, tx, stored, payment.failure, errorDetails);
        await tx.outbox.publish(
          newEvent(ctx, org, 'invoice.payment_status_updated', { lago_invoice_id: invoice.id }),
        );
      }
      return stored;
    }
    default:
      return assertNever(payment, 'payment');
  }
}

/** `invoice.payment_failure` with the provider's message and code, as Lago sends it. */
export async function publishPaymentFailure(
  ctx: UseCaseContext,
  tx: Tx,
  invoice: Invoice,
  failure: { readonly code: string; readonly message: string } | null,
  errorDetails: PaymentErrorDetails,
): Promise<void> {
  const customer = await tx.customers.findById(invoice.customerId);
  const link = customer?.billing;
  const connection =
    link?.provider === 'stripe' ? await tx.stripeConnections.findById(link.connectionId) : null;
  await tx.outbox.publish(
    newEvent(ctx, invoice.organizationId, 'invoice.payment_failure', {
      lago_invoice_id: invoice.id,
      lago_customer_id: invoice.customerId,
      external_customer_id: customer?.externalId ?? '',
      provider_customer_id:
        link?.provider === 'stripe' && link.providerCustomer.status === 'linked'
          ? link.providerCustomer.providerCustomerId
          : null,
      payment_provider: link?.provider === 'stripe' ? 'stripe' : null,
      payment_provider_code: connection?.code ?? null,
      provider_error: failure ? { message: failure.message, error_code: failure.code } : null,
      error_details: errorDetails,
    }),
  );
}
