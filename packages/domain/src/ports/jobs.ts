import type { Id } from '../model/common.js';

/** Every background job the domain asks for, by name, with its payload. */
export interface JobCatalog {
  /** Create the Stripe customer for a customer whose link is `pending`. */
  'stripe.create_customer': { organizationId: Id; customerId: Id };
  /** Push name/email/phone/address to an already linked Stripe customer. */
  'stripe.update_customer': { organizationId: Id; customerId: Id };
  /** Create a setup checkout link and announce it with `customer.checkout_url_generated`. */
  'stripe.checkout_link': { organizationId: Id; customerId: Id };
  /** Charge a finalized invoice (`collectInvoicePayment`). */
  'payment.collect': { organizationId: Id; invoiceId: Id };
  /** Charge a payment request's invoices as one payment (`collectPaymentRequest`). */
  'payment_request.collect': { organizationId: Id; paymentRequestId: Id };
  /** Send a credit note's refund to the provider (`refundCreditNote`). */
  'payment.refund': { organizationId: Id; creditNoteId: Id };
  /** Translate one stored inbound Stripe event into a command (`handleStripeCommand`). */
  'stripe.process_event': { organizationId: Id; inboxId: Id };
  /**
   * Deliver one outgoing event to the organization's webhook endpoints. `redeliveryFrom` (ISO
   * time) marks a redelivery the merchant asked for: attempts before it no longer count.
   */
  'webhook.deliver': { organizationId: Id; eventId: Id; redeliveryFrom?: string };
  /** Re-read a payment left pending/processing too long (`reconcilePayment`). */
  'payment.reconcile': { organizationId: Id; paymentId: Id };
  /** Read the connection's disputes lost since its last check (`checkLostDisputes`). */
  'stripe.check_disputes': { organizationId: Id; connectionId: Id };
}

export type JobName = keyof JobCatalog;

export type JobRequest = {
  [K in JobName]: {
    readonly name: K;
    readonly payload: Readonly<JobCatalog[K]>;
    /** Two live jobs with the same key are one job (e.g. `payment.collect:{invoice id}`). */
    readonly dedupeKey?: string;
    readonly runAt?: Date;
    /** Jobs of one group (an organization) share a concurrency limit when their queue sets one. */
    readonly group?: string;
  };
}[JobName];

/** Enqueued jobs become visible only when the surrounding transaction commits. */
export interface JobScheduler {
  enqueue(job: JobRequest): Promise<void>;
}
