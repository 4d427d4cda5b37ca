import type {
  CheckLostDisputesInput,
  CollectInvoicePaymentInput,
  CollectPaymentRequestInput,
  GenerateCheckoutLinkInput,
  HandleStripeCommandInput,
  HandleStripeCommandOutput,
  ReconcilePaymentInput,
  RefundCreditNoteInput,
  ScheduleDisputeChecksInput,
  ScheduleReconciliationInput,
  ScheduleWaitingCollectionsInput,
  SyncCustomerToStripeInput,
  UseCase,
} from '@payrail/domain';

/**
 * The domain use cases the worker calls, by role. The composition root fills it from
 * `@payrail/domain`; tests may swap one to observe a call. Outputs the worker does not read are
 * `unknown`.
 */
export interface WorkerUseCases {
  /** Creates the Stripe customer of a pending link, or pushes contact details to a linked one. */
  readonly syncCustomerToStripe: UseCase<SyncCustomerToStripeInput, unknown>;
  readonly generateCheckoutLink: UseCase<GenerateCheckoutLinkInput, unknown>;
  readonly collectInvoicePayment: UseCase<CollectInvoicePaymentInput, unknown>;
  /** Charges a payment request's invoices as one payment. */
  readonly collectPaymentRequest: UseCase<CollectPaymentRequestInput, unknown>;
  readonly refundCreditNote: UseCase<RefundCreditNoteInput, unknown>;
  readonly handleStripeCommand: UseCase<HandleStripeCommandInput, HandleStripeCommandOutput>;
  readonly reconcilePayment: UseCase<ReconcilePaymentInput, unknown>;
  /** Enqueues `payment.reconcile` for every payment left in flight too long. */
  readonly scheduleReconciliation: UseCase<ScheduleReconciliationInput, unknown>;
  /** Enqueues `stripe.check_disputes` for every connection whose dispute read is due. */
  readonly scheduleDisputeChecks: UseCase<ScheduleDisputeChecksInput, unknown>;
  /** Applies the lost disputes of one connection whose webhooks never arrived. */
  readonly checkLostDisputes: UseCase<CheckLostDisputesInput, unknown>;
  /** Enqueues `payment.collect` for customers waiting on a method whose next look is due. */
  readonly scheduleWaitingCollections: UseCase<ScheduleWaitingCollectionsInput, unknown>;
}
