import { type DomainError, notAllowed, notFound } from '../errors.js';
import type { Id, ProviderFailure } from '../model/common.js';
import type { FinalizedInvoice, Invoice } from '../model/invoice.js';
import type { SucceededPayment } from '../model/payment.js';
import type {
  FailedPaymentRequest,
  PaymentRequest,
  PendingPaymentRequest,
  SucceededPaymentRequest,
} from '../model/payment-request.js';
import { err, ok, type Result } from '../result.js';
import { amountDue } from './invoice-machine.js';

/**
 * Overdue, as a payment request needs it: finalized, not paid, something due, no lost dispute, and
 * its payment due date reached. Payrail has no payment terms, so an invoice is due on its issuing
 * date (decision 0270).
 */
export function isOverdue(invoice: Invoice, today: string): invoice is FinalizedInvoice {
  return (
    invoice.status === 'finalized' &&
    invoice.paymentDisputeLostAt === null &&
    invoice.payment.status !== 'succeeded' &&
    amountDue(invoice) > 0 &&
    invoice.issuingDate <= today
  );
}

/** Lago's `ready_for_payment_processing`: no attempt of the invoice is out at the provider. */
export function isReadyForPaymentProcessing(invoice: Invoice): boolean {
  return invoice.payment.status !== 'pending' || invoice.payment.inFlightPaymentId === null;
}

export interface OpenPaymentRequestInput {
  readonly id: Id;
  readonly organizationId: Id;
  readonly customerId: Id;
  readonly email: string | null;
  /** The ids asked for, as given (duplicates are collected once). */
  readonly invoiceIds: readonly Id[];
  /** The invoices found for those ids, in any order; ids of other organizations already left out. */
  readonly invoices: readonly Invoice[];
  /** `YYYY-MM-DD`, the day the request is made. */
  readonly today: string;
  readonly at: Date;
}

/**
 * A new request for the customer's overdue invoices, refused with Lago's codes: 404
 * `invoice_not_found` when an id is not one of the customer's invoices, 405 `invoices_not_overdue`
 * (paid, voided, draft, disputed or not yet due), 405 `invoices_not_ready_for_payment_processing`
 * (an attempt is out), 405 `invoices_have_different_currencies`.
 */
export function openPaymentRequest(
  input: OpenPaymentRequestInput,
): Result<PendingPaymentRequest, DomainError> {
  const ids = [...new Set(input.invoiceIds)];
  const byId = new Map(input.invoices.map((invoice) => [invoice.id, invoice]));
  const invoices: Invoice[] = [];
  for (const id of ids) {
    const invoice = byId.get(id);
    if (
      !invoice ||
      invoice.customerId !== input.customerId ||
      invoice.organizationId !== input.organizationId
    ) {
      return err(notFound('invoice', { lago_invoice_id: id }));
    }
    invoices.push(invoice);
  }
  if (invoices.length === 0) return err(notFound('invoice'));
  const overdue: FinalizedInvoice[] = [];
  for (const invoice of invoices) {
    if (!isOverdue(invoice, input.today)) {
      return err(
        notAllowed('invoices_not_overdue', 'every invoice of a payment request must be overdue', {
          lago_invoice_id: invoice.id,
        }),
      );
    }
    overdue.push(invoice);
  }
  const busy = overdue.find((invoice) => !isReadyForPaymentProcessing(invoice));
  if (busy) {
    return err(
      notAllowed('invoices_not_ready_for_payment_processing', 'a payment of an invoice is in progress', {
        lago_invoice_id: busy.id,
      }),
    );
  }
  const currency = overdue[0]?.currency;
  if (currency === undefined || overdue.some((invoice) => invoice.currency !== currency)) {
    return err(notAllowed('invoices_have_different_currencies', 'the invoices are in different currencies'));
  }
  const items = overdue.map((invoice) => ({ invoiceId: invoice.id, amountCents: amountDue(invoice) }));
  return ok({
    id: input.id,
    organizationId: input.organizationId,
    customerId: input.customerId,
    email: input.email,
    items,
    amountCents: items.reduce((sum, item) => sum + item.amountCents, 0),
    currency,
    paymentId: null,
    paymentStatus: 'pending',
    version: 1,
    createdAt: input.at,
    updatedAt: input.at,
  });
}

/**
 * Whether the request can still be charged as it was made: every invoice still overdue, free of
 * any other attempt, and owing exactly what the request says (the customer was asked for that sum).
 */
export function checkStillCollectable(
  request: PendingPaymentRequest,
  invoices: readonly Invoice[],
  today: string,
): Result<readonly FinalizedInvoice[], ProviderFailure> {
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  const ready: FinalizedInvoice[] = [];
  for (const item of request.items) {
    const invoice = byId.get(item.invoiceId);
    if (!invoice || !isOverdue(invoice, today)) {
      return err({ code: 'invoices_not_overdue', message: `invoice ${item.invoiceId} is no longer overdue` });
    }
    if (!isReadyForPaymentProcessing(invoice) || amountDue(invoice) !== item.amountCents) {
      return err({
        code: 'invoices_not_ready_for_payment_processing',
        message: `invoice ${item.invoiceId} changed since the request was made`,
      });
    }
    ready.push(invoice);
  }
  return ok(ready);
}

/**
 * Locks an invoice to the request's attempt, like `startAttempt` but also from a failed payment:
 * a request is how a failed invoice is collected again. The invoice is pending again, in flight.
 */
export function startRequestedInvoiceAttempt(
  invoice: Invoice,
  paymentId: Id,
  today: string,
  at: Date,
): Result<FinalizedInvoice, DomainError> {
  if (!isOverdue(invoice, today)) {
    return err(notAllowed('invoices_not_overdue', 'the invoice is no longer overdue'));
  }
  if (!isReadyForPaymentProcessing(invoice)) {
    return err(
      notAllowed('invoices_not_ready_for_payment_processing', 'a payment of the invoice is in progress'),
    );
  }
  return ok({
    ...invoice,
    payment: { status: 'pending', inFlightPaymentId: paymentId, waitingFor: null },
    updatedAt: at,
  });
}

export interface PaymentRequestTransition {
  readonly request: PaymentRequest;
  readonly changed: boolean;
}

/** The request's one attempt starts; a request is charged at most once. */
export function startRequestAttempt(
  request: PaymentRequest,
  paymentId: Id,
  at: Date,
): Result<PendingPaymentRequest, DomainError> {
  if (request.paymentStatus !== 'pending' || request.paymentId !== null) {
    return err(notAllowed('invalid_status', 'the payment request was already attempted'));
  }
  return ok({ ...request, paymentId, updatedAt: at });
}

/** Money moved for the request's attempt: final, also from failed (the provider's record wins). */
export function recordRequestSucceeded(
  request: PaymentRequest,
  payment: SucceededPayment,
  at: Date,
): PaymentRequestTransition {
  if (request.paymentStatus === 'succeeded' || request.paymentId !== payment.id) {
    return { request, changed: false };
  }
  const { failure: _failure, failedAt: _failedAt, ...rest } = request as FailedPaymentRequest;
  const next: SucceededPaymentRequest = {
    ...rest,
    paymentStatus: 'succeeded',
    paymentId: payment.id,
    succeededAt: payment.succeededAt,
    updatedAt: at,
  };
  return { request: next, changed: true };
}

/** The attempt failed, or the request could not be attempted at all; a settled request is left as is. */
export function recordRequestFailed(
  request: PaymentRequest,
  failure: ProviderFailure,
  at: Date,
): PaymentRequestTransition {
  if (request.paymentStatus !== 'pending') return { request, changed: false };
  const next: FailedPaymentRequest = {
    ...request,
    paymentStatus: 'failed',
    failedAt: at,
    failure,
    updatedAt: at,
  };
  return { request: next, changed: true };
}
