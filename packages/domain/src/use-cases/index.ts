/**
 * The use cases: one file each, with its input (and output) type beside it; `steps/` holds what
 * they share. In every input, `undefined` (an absent key) means "leave as is" and `null` means
 * "clear"; strings from the wire are validated by the use case, not by the caller.
 */
export type { ApplyPaymentOutcomeInput, PaymentOutcomeResult } from './apply-payment-outcome.js';
export { applyPaymentOutcome } from './apply-payment-outcome.js';
export type { ApplyRefundOutcomeInput } from './apply-refund-outcome.js';
export { applyRefundOutcome } from './apply-refund-outcome.js';
export type { CheckLostDisputesInput } from './check-lost-disputes.js';
export { checkLostDisputes, DISPUTE_CHECK_OVERLAP_MS } from './check-lost-disputes.js';
export type { CollectInvoicePaymentInput, CollectionResult } from './collect-invoice-payment.js';
export { collectInvoicePayment } from './collect-invoice-payment.js';
export type { CollectPaymentRequestInput } from './collect-payment-request.js';
export { collectPaymentRequest } from './collect-payment-request.js';
export type { ConnectStripeInput, StripeConnectionOutput } from './connect-stripe.js';
export { connectStripe } from './connect-stripe.js';
export type { CreateAddOnInput } from './create-add-on.js';
export { createAddOn } from './create-add-on.js';
export type { CreateCreditNoteInput } from './create-credit-note.js';
export { createCreditNote } from './create-credit-note.js';
export type { CreateManualPaymentInput } from './create-manual-payment.js';
export { createManualPayment } from './create-manual-payment.js';
export type { CreateOneOffInvoiceInput, OneOffFeeInput } from './create-one-off-invoice.js';
export { createOneOffInvoice } from './create-one-off-invoice.js';
export type { CreatePaymentRequestInput } from './create-payment-request.js';
export { createPaymentRequest } from './create-payment-request.js';
export type { DeleteAddOnInput } from './delete-add-on.js';
export { deleteAddOn } from './delete-add-on.js';
export type { DeleteCustomerInput } from './delete-customer.js';
export { deleteCustomer } from './delete-customer.js';
export type { DeleteStripeConnectionInput } from './delete-stripe-connection.js';
export { deleteStripeConnection } from './delete-stripe-connection.js';
export type { CheckoutLink, GenerateCheckoutLinkInput } from './generate-checkout-link.js';
export { CHECKOUT_LINK_LIFETIME_MS, generateCheckoutLink } from './generate-checkout-link.js';
export type { GenerateInvoicePaymentUrlInput, InvoicePaymentUrl } from './generate-invoice-payment-url.js';
export { generateInvoicePaymentUrl } from './generate-invoice-payment-url.js';
export type { HandleStripeCommandInput, HandleStripeCommandOutput } from './handle-stripe-command.js';
export { handleStripeCommand } from './handle-stripe-command.js';
export type { LoseDisputeInput } from './lose-dispute.js';
export { loseDispute } from './lose-dispute.js';
export type { ReconcilePaymentInput } from './reconcile-payment.js';
export { IDEMPOTENCY_WINDOW_MS, reconcilePayment } from './reconcile-payment.js';
export type { RefundCreditNoteInput } from './refund-credit-note.js';
export { refundCreditNote } from './refund-credit-note.js';
export type { RetryInvoicePaymentInput } from './retry-invoice-payment.js';
export { retryInvoicePayment } from './retry-invoice-payment.js';
export { saveCustomer } from './save-customer.js';
export type { ScheduleDisputeChecksInput } from './schedule-dispute-checks.js';
export { scheduleDisputeChecks } from './schedule-dispute-checks.js';
export type { ScheduleReconciliationInput } from './schedule-reconciliation.js';
export { scheduleReconciliation } from './schedule-reconciliation.js';
export type { ScheduleWaitingCollectionsInput } from './schedule-waiting-collections.js';
export { scheduleWaitingCollections } from './schedule-waiting-collections.js';
export type { SetDefaultPaymentMethodInput } from './set-default-payment-method.js';
export { setDefaultPaymentMethod } from './set-default-payment-method.js';
export { PAYMENT_LINK_LIFETIME_MS } from './steps/payment-link-attempts.js';
export type { CustomerRef, InvoiceRef, OrganizationScoped } from './steps/references.js';
export { stripeWebhookUrl } from './steps/stripe-webhook-url.js';
export type { SyncCustomerToStripeInput } from './sync-customer-to-stripe.js';
export { syncCustomerToStripe } from './sync-customer-to-stripe.js';
export type { UpdateAddOnInput } from './update-add-on.js';
export { updateAddOn } from './update-add-on.js';
export type { UpdateInvoiceInput } from './update-invoice.js';
export { updateInvoice } from './update-invoice.js';
export type { UpdateStripeConnectionInput } from './update-stripe-connection.js';
export { updateStripeConnection } from './update-stripe-connection.js';
export type {
  BillingConfigurationInput,
  UpsertCustomerInput,
  UpsertCustomerOutput,
} from './upsert-customer.js';
export { upsertCustomer } from './upsert-customer.js';
export type { VoidCreditNoteInput } from './void-credit-note.js';
export { voidCreditNote } from './void-credit-note.js';
export type { VoidInvoiceInput } from './void-invoice.js';
export { voidInvoice } from './void-invoice.js';
