import { type DomainError, invalidField, notAllowed, validation } from '../errors.js';
import type { Id, ProviderFailure } from '../model/common.js';
import type {
  DraftInvoice,
  FinalizedInvoice,
  Invoice,
  InvoiceMetadataEntry,
  InvoicePaymentStatus,
  PaymentWaitReason,
  VoidedInvoice,
} from '../model/invoice.js';
import type { FailedPayment, SucceededPayment } from '../model/payment.js';
import { err, ok, type Result } from '../result.js';

export interface InvoiceTransition<I extends Invoice = Invoice> {
  readonly invoice: I;
  readonly changed: boolean;
}

/** Gives the draft its number; a zero total is paid on the spot, without the provider. */
export function finalize(
  draft: DraftInvoice,
  numbering: { readonly sequentialId: number; readonly number: string; readonly issuingDate: string },
  at: Date,
): FinalizedInvoice {
  return {
    ...draft,
    status: 'finalized',
    ...numbering,
    finalizedAt: at,
    payment:
      draft.totalAmountCents === 0
        ? { status: 'succeeded', succeededAt: at, paymentId: null }
        : { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    updatedAt: at,
  };
}

/** Whether a new attempt may start now; the refusal names Lago's 405 code. */
export function checkCanAttempt(invoice: Invoice): Result<FinalizedInvoice, DomainError> {
  if (invoice.status !== 'finalized') {
    return err(notAllowed('invalid_status', `a ${invoice.status} invoice cannot be charged`));
  }
  if (invoice.paymentDisputeLostAt !== null) {
    return err(notAllowed('invoice_dispute_lost', 'the payment dispute was lost'));
  }
  switch (invoice.payment.status) {
    case 'succeeded':
      return err(notAllowed('invalid_status', 'the invoice is already paid'));
    case 'failed':
      return err(notAllowed('invalid_status', 'the last attempt failed; retry the payment first'));
    case 'pending':
      return invoice.payment.inFlightPaymentId === null
        ? ok(invoice)
        : err(notAllowed('payment_processor_is_currently_handling_payment', 'a payment is in progress'));
  }
}

/** Locks the invoice to one attempt: nobody else may start one until it settles. */
export function startAttempt(
  invoice: Invoice,
  paymentId: Id,
  at: Date,
): Result<FinalizedInvoice, DomainError> {
  const checked = checkCanAttempt(invoice);
  if (!checked.ok) return checked;
  return ok({
    ...checked.value,
    payment: { status: 'pending', inFlightPaymentId: paymentId, waitingFor: null },
    updatedAt: at,
  });
}

/**
 * Which invoices may get a payment link (a page where the customer pays themself): finalized, not
 * paid, something due, no lost dispute, and no other attempt out at the provider. A failed invoice
 * may (the customer pays what the saved method could not). Lago's refusal for a draft, voided or
 * paid invoice is 422 `invalid_invoice_status_or_payment_status`; Payrail also says so when
 * nothing is due, and refuses with 405 while another attempt is in flight (0230).
 */
export function checkCanOpenPaymentLink(invoice: Invoice): Result<FinalizedInvoice, DomainError> {
  const refused = () => err(validation({ base: ['invalid_invoice_status_or_payment_status'] }));
  if (invoice.status !== 'finalized' || invoice.payment.status === 'succeeded') return refused();
  if (invoice.paymentDisputeLostAt !== null) {
    return err(notAllowed('invoice_dispute_lost', 'the payment dispute was lost'));
  }
  if (invoice.payment.status === 'pending' && invoice.payment.inFlightPaymentId !== null) {
    return err(notAllowed('payment_processor_is_currently_handling_payment', 'a payment is in progress'));
  }
  if (amountDue(invoice) === 0) return refused();
  return ok(invoice);
}

/** A link attempt starts: the invoice (pending or failed) is pending with the link in flight. */
export function startPaymentLink(
  invoice: Invoice,
  paymentId: Id,
  at: Date,
): Result<FinalizedInvoice, DomainError> {
  const checked = checkCanOpenPaymentLink(invoice);
  if (!checked.ok) return checked;
  return ok({
    ...checked.value,
    payment: { status: 'pending', inFlightPaymentId: paymentId, waitingFor: 'payment_link_open' },
    updatedAt: at,
  });
}

/**
 * The attempt in flight ended without money and without a failure of the customer's means (a
 * payment link that expired unpaid, or one the provider refused to create): the invoice is
 * pending again with nothing in flight, ready to be collected. Any other attempt changes nothing.
 */
export function releaseAttempt(invoice: Invoice, paymentId: Id, at: Date): InvoiceTransition {
  if (invoice.payment.status !== 'pending' || invoice.payment.inFlightPaymentId !== paymentId) {
    return { invoice, changed: false };
  }
  return {
    invoice: {
      ...invoice,
      payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
      updatedAt: at,
    },
    changed: true,
  };
}

/** No attempt possible yet: the invoice stays pending with the reason recorded. */
export function waitFor(
  invoice: FinalizedInvoice,
  reason: PaymentWaitReason,
  at: Date,
): Result<FinalizedInvoice, DomainError> {
  if (invoice.payment.status !== 'pending') {
    return err(notAllowed('invalid_status', `payment is ${invoice.payment.status}`));
  }
  return ok({
    ...invoice,
    payment: { status: 'pending', inFlightPaymentId: null, waitingFor: reason },
    updatedAt: at,
  });
}

/** Nothing is due any more (a zero total, or offsets and payments cover it): paid without the provider. */
export function payWithoutProvider(
  invoice: FinalizedInvoice,
  at: Date,
): Result<FinalizedInvoice, DomainError> {
  if (amountDue(invoice) !== 0)
    return err(notAllowed('invalid_status', 'only an invoice with nothing due is paid without provider'));
  const checked = checkCanAttempt(invoice);
  if (!checked.ok) return checked;
  return ok({
    ...invoice,
    payment: { status: 'succeeded', succeededAt: at, paymentId: null },
    updatedAt: at,
  });
}

/** A failure decided before any attempt (e.g. no method for the currency). */
export function failWithoutAttempt(
  invoice: FinalizedInvoice,
  failure: ProviderFailure,
  at: Date,
): Result<FinalizedInvoice, DomainError> {
  const checked = checkCanAttempt(invoice);
  if (!checked.ok) return checked;
  return ok({
    ...invoice,
    payment: { status: 'failed', failedAt: at, paymentId: null, failure },
    updatedAt: at,
  });
}

/**
 * Money came in: the invoice is paid, also from failed or while another attempt is out (the
 * provider's record wins). Idempotent; a voided or already paid invoice is left as is (the caller logs it).
 */
export function recordPaymentSucceeded(
  invoice: Invoice,
  payment: SucceededPayment,
  at: Date,
): InvoiceTransition {
  if (invoice.status !== 'finalized' || invoice.payment.status === 'succeeded')
    return { invoice, changed: false };
  return {
    invoice: {
      ...invoice,
      payment: { status: 'succeeded', succeededAt: payment.succeededAt, paymentId: payment.id },
      totalPaidAmountCents: invoice.totalPaidAmountCents + payment.amountCents,
      updatedAt: at,
    },
    changed: true,
  };
}

/**
 * The invoice's current attempt failed: the invoice fails, or keeps waiting when the amount was
 * below the provider's minimum. A failure of any other (stale) attempt changes nothing.
 */
export function recordPaymentFailed(invoice: Invoice, payment: FailedPayment, at: Date): InvoiceTransition {
  if (invoice.payment.status !== 'pending' || invoice.payment.inFlightPaymentId !== payment.id) {
    return { invoice, changed: false };
  }
  const payment_ = payment.belowMinimum
    ? ({ status: 'pending', inFlightPaymentId: null, waitingFor: 'amount_below_provider_minimum' } as const)
    : ({
        status: 'failed',
        failedAt: payment.failedAt,
        paymentId: payment.id,
        failure: payment.failure,
      } as const);
  return { invoice: { ...invoice, payment: payment_, updatedAt: at }, changed: true };
}

/** The attempt waits for the customer (3DS); it stays in flight. */
export function recordRequiresAction(invoice: Invoice, paymentId: Id, at: Date): InvoiceTransition {
  if (invoice.payment.status !== 'pending' || invoice.payment.inFlightPaymentId !== paymentId) {
    return { invoice, changed: false };
  }
  if (invoice.payment.waitingFor === 'requires_action') return { invoice, changed: false };
  return {
    invoice: { ...invoice, payment: { ...invoice.payment, waitingFor: 'requires_action' }, updatedAt: at },
    changed: true,
  };
}

/**
 * "Resend for collection": only a finalized invoice whose payment is pending or failed, with no
 * attempt in flight and no lost dispute. A failed invoice goes back to pending.
 */
export function reopenForCollection(invoice: Invoice, at: Date): Result<FinalizedInvoice, DomainError> {
  if (invoice.status !== 'finalized') {
    return err(notAllowed('invalid_status', `a ${invoice.status} invoice cannot be retried`));
  }
  if (invoice.paymentDisputeLostAt !== null) {
    return err(notAllowed('invoice_dispute_lost', 'the payment dispute was lost'));
  }
  switch (invoice.payment.status) {
    case 'succeeded':
      return err(notAllowed('invalid_status', 'the invoice is already paid'));
    case 'pending':
      if (invoice.payment.inFlightPaymentId !== null) {
        return err(notAllowed('payment_processor_is_currently_handling_payment', 'a payment is in progress'));
      }
      return ok(invoice);
    case 'failed':
      return ok({
        ...invoice,
        payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
        updatedAt: at,
      });
  }
}

/** Only an unpaid finalized invoice with nothing in flight and no lost dispute can be voided. */
export function voidInvoice(invoice: Invoice, at: Date): Result<VoidedInvoice, DomainError> {
  if (invoice.status !== 'finalized')
    return err(notAllowed('not_voidable', `a ${invoice.status} invoice cannot be voided`));
  if (invoice.paymentDisputeLostAt !== null) {
    return err(notAllowed('not_voidable', 'an invoice whose payment dispute was lost cannot be voided'));
  }
  if (invoice.payment.status === 'succeeded') {
    return err(notAllowed('not_voidable', 'a paid invoice cannot be voided; issue a credit note'));
  }
  if (invoice.payment.status === 'pending' && invoice.payment.inFlightPaymentId !== null) {
    return err(notAllowed('payment_processor_is_currently_handling_payment', 'a payment is in progress'));
  }
  return ok({ ...invoice, status: 'voided', voidedAt: at, updatedAt: at });
}

/** Marks the dispute lost once; later calls change nothing. */
export function loseDispute(
  invoice: Invoice,
  lostAt: Date,
  at: Date,
): Result<InvoiceTransition<FinalizedInvoice | VoidedInvoice>, DomainError> {
  if (invoice.status === 'draft')
    return err(notAllowed('not_disputable', 'a draft invoice cannot be disputed'));
  if (invoice.paymentDisputeLostAt !== null) return ok({ invoice, changed: false });
  return ok({ invoice: { ...invoice, paymentDisputeLostAt: lostAt, updatedAt: at }, changed: true });
}

export function recordCreditNote(
  invoice: Invoice,
  amounts: { readonly creditCents: number; readonly refundCents: number; readonly offsetCents: number },
  at: Date,
): Invoice {
  return {
    ...invoice,
    credited: {
      creditCents: invoice.credited.creditCents + amounts.creditCents,
      refundCents: invoice.credited.refundCents + amounts.refundCents,
      offsetCents: invoice.credited.offsetCents + amounts.offsetCents,
    },
    updatedAt: at,
  };
}

/** A refund that failed gives its amount back to what may still be refunded. */
export function releaseFailedRefund(invoice: Invoice, refundCents: number, at: Date): Invoice {
  return {
    ...invoice,
    credited: { ...invoice.credited, refundCents: Math.max(0, invoice.credited.refundCents - refundCents) },
    updatedAt: at,
  };
}

/**
 * Lago's manual `payment_status` override (`PUT /invoices/{id}`). It never touches an attempt out
 * at the provider, never reopens a success backed by a payment (a provider or recorded payment is
 * final), and records no money: `total_paid_amount_cents` only moves with payments. A manual
 * `succeeded` also closes the invoice to new attempts, so a later charge cannot count twice.
 */
export function overridePaymentStatus(
  invoice: Invoice,
  status: InvoicePaymentStatus,
  at: Date,
): Result<InvoiceTransition<FinalizedInvoice>, DomainError> {
  if (invoice.status === 'voided')
    return err(notAllowed('update_on_voided_invoice', 'a voided invoice cannot be updated'));
  if (invoice.status === 'draft')
    return err(notAllowed('invalid_status', 'a draft invoice has no payment status to change'));
  const current = invoice.payment;
  if (current.status === 'pending' && current.inFlightPaymentId !== null) {
    return err(notAllowed('payment_processor_is_currently_handling_payment', 'a payment is in progress'));
  }
  if (current.status === status) return ok({ invoice, changed: false });
  if (current.status === 'succeeded' && current.paymentId !== null) {
    return err(notAllowed('invalid_status', 'a payment settled this invoice; issue a credit note instead'));
  }
  const payment =
    status === 'succeeded'
      ? ({ status, succeededAt: at, paymentId: null } as const)
      : status === 'failed'
        ? ({
            status,
            failedAt: at,
            paymentId: null,
            failure: { code: 'manual_update', message: 'payment status set by the API' },
          } as const)
        : ({ status, inFlightPaymentId: null, waitingFor: null } as const);
  return ok({ invoice: { ...invoice, payment, updatedAt: at }, changed: true });
}

/** Replaces the invoice's metadata (Lago: entries sent with an `id` keep it, others are new, the rest go). */
export function replaceMetadata(
  invoice: Invoice,
  metadata: readonly InvoiceMetadataEntry[],
  at: Date,
): Result<Invoice, DomainError> {
  if (invoice.status === 'voided')
    return err(notAllowed('update_on_voided_invoice', 'a voided invoice cannot be updated'));
  return ok({ ...invoice, metadata, updatedAt: at });
}

/** What the customer still owes: the total less payments and credit-note offsets. */
export function amountDue(invoice: Invoice): number {
  return Math.max(0, invoice.totalAmountCents - invoice.totalPaidAmountCents - invoice.credited.offsetCents);
}

/**
 * Money received outside Stripe (Lago's manual payment). Only on a finalized invoice with something
 * due, no attempt in flight and no lost dispute; the invoice is paid once nothing is due any more.
 */
export function recordManualPayment(
  invoice: Invoice,
  payment: { readonly id: Id; readonly amountCents: number; readonly paidAt: Date },
  at: Date,
): Result<InvoiceTransition<FinalizedInvoice>, DomainError> {
  if (invoice.status !== 'finalized') {
    return err(notAllowed('invalid_status', `a ${invoice.status} invoice cannot take a payment`));
  }
  if (invoice.paymentDisputeLostAt !== null) {
    return err(notAllowed('invoice_dispute_lost', 'the payment dispute was lost'));
  }
  if (invoice.payment.status === 'pending' && invoice.payment.inFlightPaymentId !== null) {
    return err(notAllowed('payment_processor_is_currently_handling_payment', 'a payment is in progress'));
  }
  if (invoice.payment.status === 'succeeded') {
    return err(notAllowed('invalid_status', 'the invoice is already paid'));
  }
  if (payment.amountCents > amountDue(invoice)) {
    return err(invalidField('amount_cents', 'higher_than_remaining_invoice_amount'));
  }
  const totalPaidAmountCents = invoice.totalPaidAmountCents + payment.amountCents;
  const paidOff = amountDue({ ...invoice, totalPaidAmountCents }) === 0;
  return ok({
    invoice: {
      ...invoice,
      totalPaidAmountCents,
      ...(paidOff
        ? { payment: { status: 'succeeded', succeededAt: payment.paidAt, paymentId: payment.id } as const }
        : {}),
      updatedAt: at,
    },
    changed: paidOff,
  });
}
