import type { AddOn } from '../model/add-on.js';
import type { Id } from '../model/common.js';
import type { CreditNote } from '../model/credit-note.js';
import type { Customer } from '../model/customer.js';
import type { FinalizedInvoice, Invoice } from '../model/invoice.js';
import type { ManualPayment } from '../model/manual-payment.js';
import type { Organization } from '../model/organization.js';
import type { InFlightPayment, Payment } from '../model/payment.js';
import type { PaymentMethod } from '../model/payment-method.js';
import type { PaymentRequest } from '../model/payment-request.js';
import type { StripeConnection } from '../model/stripe-connection.js';

/**
 * Shared write contract. `insert` stores a new aggregate as given (version 1). `update(next)` writes
 * `next` only if the stored version still equals `next.version`, stores `version + 1` and returns
 * the stored object; otherwise it throws `VersionConflictError`. A uniqueness rule broken by either
 * throws `UniqueViolationError`. Reads return plain readonly data; soft-deleted rows are excluded
 * from `find*`/`list*` unless the method says otherwise.
 */
export interface WriteRepository<T extends { readonly id: Id; readonly version: number }> {
  insert(entity: T): Promise<T>;
  update(next: T): Promise<T>;
}

export interface OrganizationRepository {
  findById(id: Id): Promise<Organization | null>;
}

export interface StripeConnectionRepository extends WriteRepository<StripeConnection> {
  findById(id: Id): Promise<StripeConnection | null>;
  findByCode(organizationId: Id, code: string): Promise<StripeConnection | null>;
  listByOrganization(organizationId: Id): Promise<readonly StripeConnection[]>;
  /** Hard delete (version-checked). */
  delete(connection: StripeConnection): Promise<void>;
  /**
   * Whether any payment went through the connection. Payments are financial records: they keep
   * their connection (a refund goes through it) for as long as they exist.
   */
  hasPayments(connectionId: Id): Promise<boolean>;
  /**
   * For the dispute sweep: up to `limit` connections whose next dispute check is due (never
   * checked, or `everyMs` after the last claim), the longest due first. Claiming moves each one's
   * next check `everyMs` forward.
   */
  claimForDisputeCheck(query: {
    readonly now: Date;
    readonly everyMs: number;
    readonly limit: number;
  }): Promise<readonly StripeConnection[]>;
  /** Lost disputes up to this moment are applied; null before the first complete check. */
  disputesCheckedUntil(connectionId: Id): Promise<Date | null>;
  /** Moves the connection's dispute cursor forward (never back). */
  recordDisputesChecked(connectionId: Id, until: Date): Promise<void>;
}

export interface CustomerRepository extends WriteRepository<Customer> {
  /** Includes a soft-deleted customer: its invoices and payments still point at it. */
  findById(id: Id): Promise<Customer | null>;
  /** The customers of these ids that exist (soft-deleted included), in any order. */
  findByIds(ids: readonly Id[]): Promise<readonly Customer[]>;
  findByExternalId(organizationId: Id, externalId: string): Promise<Customer | null>;
  findByProviderCustomerId(connectionId: Id, providerCustomerId: string): Promise<Customer | null>;
  listByConnection(connectionId: Id): Promise<readonly Customer[]>;
}

export interface PaymentMethodRepository extends WriteRepository<PaymentMethod> {
  findById(id: Id): Promise<PaymentMethod | null>;
  findByProviderId(customerId: Id, providerPaymentMethodId: string): Promise<PaymentMethod | null>;
  /** Not deleted, newest first. */
  listByCustomer(customerId: Id): Promise<readonly PaymentMethod[]>;
  /** Hard delete of every method saved on the connection, removed ones too: they go with it. */
  deleteAllOfConnection(connectionId: Id): Promise<void>;
}

export interface AddOnRepository extends WriteRepository<AddOn> {
  findById(id: Id): Promise<AddOn | null>;
  findByCode(organizationId: Id, code: string): Promise<AddOn | null>;
}

export interface InvoiceRepository extends WriteRepository<Invoice> {
  findById(id: Id): Promise<Invoice | null>;
  /** Several at once, in a constant number of queries (for pages of a list); any order, unknown ids skipped. */
  findByIds(ids: readonly Id[]): Promise<readonly Invoice[]>;
  /**
   * Finalized invoices of the customer whose payment is pending with no attempt in flight and no
   * lost dispute: the ones to charge once a payment method appears.
   */
  listAwaitingCollection(customerId: Id): Promise<readonly FinalizedInvoice[]>;
  /**
   * For the sweep: customers with invoices waiting for a payment method (`no_payment_method`), or
   * pending with no reason at all (a collection that was asked for but never ran: its job lost to a
   * crash or an outage), no attempt in flight, no lost dispute, whose next look is due, at most
   * `perOrganization` of one organization and `limit` in all, the longest due first; the oldest such
   * invoice of each. The first look is due `firstCheckAfterMs` after the newest of those invoices
   * started waiting; each claim moves the customer's next look forward, doubling from
   * `firstCheckAfterMs` up to `maxIntervalMs`. An invoice that starts waiting after the last look
   * starts the backoff again.
   */
  claimForPaymentMethodCheck(query: {
    readonly now: Date;
    readonly firstCheckAfterMs: number;
    readonly maxIntervalMs: number;
    readonly limit: number;
    readonly perOrganization: number;
  }): Promise<readonly { readonly organizationId: Id; readonly customerId: Id; readonly invoiceId: Id }[]>;
}

export interface PaymentRepository extends WriteRepository<Payment> {
  findById(id: Id): Promise<Payment | null>;
  findByProviderPaymentId(connectionId: Id, providerPaymentId: string): Promise<Payment | null>;
  /** The invoice's attempt still out at the provider, if any (at most one by construction). */
  findInFlightForInvoice(invoiceId: Id): Promise<InFlightPayment | null>;
  /** Any attempt of the customer still out at the provider. */
  findInFlightForCustomer(customerId: Id): Promise<InFlightPayment | null>;
  /** Any attempt through the Stripe connection still out at the provider. */
  findInFlightForConnection(connectionId: Id): Promise<InFlightPayment | null>;
  /** Oldest first. */
  listByInvoice(invoiceId: Id): Promise<readonly Payment[]>;
  /**
   * For reconciliation: up to `limit` attempts still in flight whose next check is due (first
   * `firstCheckAfterMs` after their last update), at most `perOrganization` of one organization,
   * the longest due first. Claiming moves each one's next check forward, doubling from
   * `firstCheckAfterMs` up to `maxIntervalMs`, so an attempt that legitimately waits for days (a
   * bank debit) is read less and less often and never crowds out newer ones.
   */
  claimForReconciliation(query: {
    readonly now: Date;
    readonly firstCheckAfterMs: number;
    readonly maxIntervalMs: number;
    readonly limit: number;
    readonly perOrganization: number;
  }): Promise<readonly Payment[]>;
}

export interface PaymentRequestRepository extends WriteRepository<PaymentRequest> {
  findById(id: Id): Promise<PaymentRequest | null>;
}

export interface ManualPaymentRepository extends WriteRepository<ManualPayment> {
  findById(id: Id): Promise<ManualPayment | null>;
  /** Oldest first. */
  listByInvoice(invoiceId: Id): Promise<readonly ManualPayment[]>;
}

export interface CreditNoteRepository extends WriteRepository<CreditNote> {
  findById(id: Id): Promise<CreditNote | null>;
  findByRefundId(refundId: Id): Promise<CreditNote | null>;
  findByProviderRefundId(providerRefundId: string): Promise<CreditNote | null>;
  listByInvoice(invoiceId: Id): Promise<readonly CreditNote[]>;
}

export type SequenceScope =
  /** Customer `sequential_id` within an organization. */
  | { readonly kind: 'customer'; readonly organizationId: Id }
  /** Invoice `sequential_id` within a customer. */
  | { readonly kind: 'invoice'; readonly customerId: Id }
  /** Credit note `sequential_id` within an invoice. */
  | { readonly kind: 'credit_note'; readonly invoiceId: Id };

/** Gap-free-enough counters: 1, 2, 3… per scope, never reused within the scope. */
export interface SequenceRepository {
  next(scope: SequenceScope): Promise<number>;
}
