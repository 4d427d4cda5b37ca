export type { AddOn } from './add-on.js';
export type { Id, ProviderFailure, Versioned } from './common.js';
export type {
  CreditNote,
  CreditNoteItem,
  CreditNoteReason,
  Refund,
  RefundState,
} from './credit-note.js';
export { CREDIT_NOTE_REASONS } from './credit-note.js';
export type {
  Address,
  BillingLink,
  Customer,
  DefaultPaymentMethodChoice,
  ProviderCustomerState,
  StripeBillingLink,
} from './customer.js';
export type {
  CreditedAmounts,
  DraftInvoice,
  Fee,
  FinalizedInvoice,
  Invoice,
  InvoiceMetadataEntry,
  InvoicePayment,
  InvoicePaymentStatus,
  InvoiceStatus,
  InvoiceSummary,
  PaymentWaitReason,
  VoidedInvoice,
} from './invoice.js';
export type { ManualPayment } from './manual-payment.js';
export type { Organization } from './organization.js';
export type {
  BankTransferRequest,
  CheckoutSessionRef,
  FailedPayment,
  InFlightPayment,
  Payment,
  PaymentCheckout,
  PaymentRequestSnapshot,
  PaymentStatus,
  PendingPayment,
  ProcessingPayment,
  RequiresActionPayment,
  SucceededPayment,
} from './payment.js';
export type {
  PaymentMethod,
  PaymentMethodDetails,
  PaymentMethodType,
  ProviderPaymentMethod,
} from './payment-method.js';
export { PAYMENT_METHOD_TYPES } from './payment-method.js';
export type {
  FailedPaymentRequest,
  PaymentRequest,
  PaymentRequestItem,
  PaymentRequestStatus,
  PendingPaymentRequest,
  SucceededPaymentRequest,
} from './payment-request.js';
export type { StripeConnection } from './stripe-connection.js';
