/**
 * Input and output shapes of every use case, in one place so that callers (API, worker) can rely on
 * them. Each use case lives in its own file. `undefined` (an absent key) always means "leave as is";
 * `null` means "clear". Strings from the wire are validated by the use case, not by the caller.
 */
import type { InboundStripeCommand } from '../commands.js';
import type { AddOn } from '../model/add-on.js';
import type { Id } from '../model/common.js';
import type { CreditNote } from '../model/credit-note.js';
import type { Address, Customer } from '../model/customer.js';
import type { FinalizedInvoice, Invoice, PaymentWaitReason, VoidedInvoice } from '../model/invoice.js';
import type { Payment } from '../model/payment.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { PaymentIntentOutcome, RefundOutcome } from '../ports/payment-gateway.js';

export interface OrganizationScoped {
  readonly organizationId: Id;
}

// Stripe connections

export interface ConnectStripeInput extends OrganizationScoped {
  readonly name: string;
  readonly code: string;
  readonly secretKey: string;
  readonly successRedirectUrl?: string | null;
}

export interface UpdateStripeConnectionInput extends OrganizationScoped {
  readonly connectionId: Id;
  readonly name?: string;
  readonly code?: string;
  readonly successRedirectUrl?: string | null;
}

export interface DeleteStripeConnectionInput extends OrganizationScoped {
  readonly connectionId: Id;
}

export type StripeConnectionOutput = StripeConnection;

// Customers

/** Lago's `billing_configuration`; only the keys present are applied. */
export interface BillingConfigurationInput {
  readonly paymentProvider?: string | null;
  readonly paymentProviderCode?: string | null;
  readonly providerCustomerId?: string | null;
  /** Create the Stripe customer inside the request: the caller runs `syncCustomerToStripe` right after. */
  readonly sync?: boolean;
  readonly syncWithProvider?: boolean;
  readonly providerPaymentMethods?: readonly string[] | null;
}

export interface UpsertCustomerInput extends OrganizationScoped {
  readonly externalId: string;
  readonly name?: string | null;
  readonly firstname?: string | null;
  readonly lastname?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly currency?: string | null;
  readonly address?: Partial<Address>;
  readonly billingConfiguration?: BillingConfigurationInput;
}

export interface UpsertCustomerOutput {
  readonly customer: Customer;
  readonly created: boolean;
  /** `billing_configuration.sync` was true and a Stripe customer must be created now. */
  readonly syncNow: boolean;
}

export interface DeleteCustomerInput extends OrganizationScoped {
  readonly externalId: string;
}

export interface SyncCustomerToStripeInput extends OrganizationScoped {
  readonly customerId: Id;
}

export type CustomerRef = { readonly externalId: string } | { readonly id: Id };

export interface GenerateCheckoutLinkInput extends OrganizationScoped {
  readonly customer: CustomerRef;
  /** Send `customer.checkout_url_generated` (the automatic path); the API's regenerate call does not. */
  readonly announce: boolean;
}

export interface CheckoutLink {
  readonly customer: Customer;
  readonly paymentProviderCode: string;
  readonly url: string;
  readonly expiresAt: Date;
}

export interface SetDefaultPaymentMethodInput extends OrganizationScoped {
  readonly customer: CustomerRef;
  /** Our payment method id (`lago_id`). */
  readonly paymentMethodId: Id;
}

// Add-ons

export interface CreateAddOnInput extends OrganizationScoped {
  readonly code: string;
  readonly name: string;
  readonly amountCents: number;
  readonly amountCurrency: string;
  readonly invoiceDisplayName?: string | null;
  readonly description?: string | null;
}

export interface UpdateAddOnInput extends OrganizationScoped {
  readonly code: string;
  readonly newCode?: string;
  readonly name?: string;
  readonly amountCents?: number;
  readonly amountCurrency?: string;
  readonly invoiceDisplayName?: string | null;
  readonly description?: string | null;
}

export interface DeleteAddOnInput extends OrganizationScoped {
  readonly code: string;
}

// Invoices and payments

export interface OneOffFeeInput {
  readonly addOnCode: string;
  /** Defaults to the add-on's amount. */
  readonly unitAmountCents?: number | null;
  /** Number or decimal string; defaults to 1. */
  readonly units?: number | string | null;
  readonly description?: string | null;
  readonly invoiceDisplayName?: string | null;
}

export interface CreateOneOffInvoiceInput extends OrganizationScoped {
  readonly externalCustomerId: string;
  /** Defaults to the customer's currency, then the first add-on's. */
  readonly currency?: string | null;
  readonly fees: readonly OneOffFeeInput[];
  /** Do not send the invoice to Stripe. */
  readonly skipPsp?: boolean;
}

export interface InvoiceRef extends OrganizationScoped {
  readonly invoiceId: Id;
}

export type CollectInvoicePaymentInput = InvoiceRef;

export type CollectionResult =
  /** Zero total: paid without the provider. */
  | { readonly outcome: 'paid_without_provider'; readonly invoice: Invoice }
  /** Nothing to do: already paid, voided, dispute lost, or an attempt is in flight. */
  | { readonly outcome: 'nothing_to_do'; readonly invoice: Invoice; readonly reason: string }
  /** The invoice waits (pending) for the recorded reason; no attempt was made. */
  | { readonly outcome: 'waiting'; readonly invoice: Invoice; readonly reason: PaymentWaitReason }
  /** Failed before any attempt (e.g. no method compatible with the currency). */
  | { readonly outcome: 'failed_without_attempt'; readonly invoice: Invoice; readonly code: string }
  /** An attempt was made; the payment carries its outcome. */
  | { readonly outcome: 'attempted'; readonly invoice: Invoice; readonly payment: Payment };

export type RetryInvoicePaymentInput = InvoiceRef;
export type GenerateInvoicePaymentUrlInput = InvoiceRef;

/** An invoice's payment link (Lago's `invoice_payment_details`). */
export interface InvoicePaymentUrl {
  readonly invoice: Invoice;
  readonly customer: Customer;
  /** The link attempt: a pending payment until the customer pays on the page. */
  readonly paymentId: Id;
  readonly url: string;
  readonly expiresAt: Date;
}
export type VoidInvoiceInput = InvoiceRef;

export interface UpdateInvoiceInput extends InvoiceRef {
  readonly paymentStatus?: string;
  /** Replaces the metadata; an entry with an `id` updates that entry. */
  readonly metadata?: readonly {
    readonly id?: string | null;
    readonly key: string;
    readonly value: string;
  }[];
}

export interface CreateManualPaymentInput extends OrganizationScoped {
  readonly invoiceId: Id;
  readonly amountCents: number;
  readonly reference: string;
  /** Defaults to now. */
  readonly paidAt?: Date;
}

export interface LoseDisputeInput extends InvoiceRef {
  /** The provider's dispute reason, echoed as `provider_error`. */
  readonly reason?: string | null;
  /** When the dispute was lost; defaults to now. */
  readonly lostAt?: Date;
}

export interface ApplyPaymentOutcomeInput extends OrganizationScoped {
  readonly paymentId: Id;
  readonly outcome: PaymentIntentOutcome;
}

export interface PaymentOutcomeResult {
  readonly payment: Payment;
  readonly invoice: Invoice;
  /** False when the outcome was a duplicate or arrived late and changed nothing. */
  readonly changed: boolean;
}

export interface ReconcilePaymentInput extends OrganizationScoped {
  readonly paymentId: Id;
}

export interface ScheduleReconciliationInput {
  /** Payments pending/processing/requires_action not updated for this long are re-read first. */
  readonly olderThanMs: number;
  readonly limit: number;
  /** Longest wait between two reads of one payment (default 6 hours). */
  readonly maxIntervalMs?: number;
  /** Payments of one organization per run (default a quarter of `limit`, at least 1). */
  readonly perOrganization?: number;
}

export interface ScheduleDisputeChecksInput {
  /** Each connection's disputes are read at most this often. */
  readonly everyMs: number;
  /** Connections queued per run. */
  readonly limit: number;
}

export interface CheckLostDisputesInput extends OrganizationScoped {
  readonly connectionId: Id;
}

export interface ScheduleWaitingCollectionsInput {
  /** A customer's first look at the provider, after its newest invoice started waiting. */
  readonly firstCheckAfterMs: number;
  /** Longest wait between two looks (default 24 hours). */
  readonly maxIntervalMs?: number;
  /** Customers queued per run. */
  readonly limit: number;
  /** Customers of one organization per run (default a quarter of `limit`, at least 1). */
  readonly perOrganization?: number;
}

// Credit notes and refunds

export interface CreateCreditNoteInput extends OrganizationScoped {
  readonly invoiceId: Id;
  readonly items: readonly { readonly feeId: Id; readonly amountCents: number }[];
  readonly reason?: string | null;
  readonly description?: string | null;
  readonly creditAmountCents?: number | null;
  readonly refundAmountCents?: number | null;
  readonly offsetAmountCents?: number | null;
}

export interface RefundCreditNoteInput extends OrganizationScoped {
  readonly creditNoteId: Id;
}

export interface VoidCreditNoteInput extends OrganizationScoped {
  readonly creditNoteId: Id;
}

export interface ApplyRefundOutcomeInput extends OrganizationScoped {
  readonly creditNoteId: Id;
  readonly outcome: RefundOutcome;
}

// Inbound Stripe events

export type HandleStripeCommandInput = InboundStripeCommand;

export interface HandleStripeCommandOutput {
  /** What was done, for the inbox row and logs (e.g. `payment_succeeded`, `ignored:unknown_payment`). */
  readonly result: string;
}

export type {
  AddOn,
  CreditNote,
  Customer,
  FinalizedInvoice,
  Invoice,
  Payment,
  StripeConnection,
  VoidedInvoice,
};
