import type { Id } from '../model/common.js';
import type { JobScheduler } from './jobs.js';
import type { Outbox } from './outbox.js';
import type {
  AddOnRepository,
  CreditNoteRepository,
  CustomerRepository,
  InvoiceRepository,
  ManualPaymentRepository,
  OrganizationRepository,
  PaymentMethodRepository,
  PaymentRepository,
  PaymentRequestRepository,
  SequenceRepository,
  StripeConnectionRepository,
} from './repositories.js';

/** Everything reachable inside one transaction; all of it commits or rolls back together. */
export interface Tx {
  readonly organizations: OrganizationRepository;
  readonly stripeConnections: StripeConnectionRepository;
  readonly customers: CustomerRepository;
  readonly paymentMethods: PaymentMethodRepository;
  readonly addOns: AddOnRepository;
  readonly invoices: InvoiceRepository;
  readonly payments: PaymentRepository;
  readonly paymentRequests: PaymentRequestRepository;
  readonly manualPayments: ManualPaymentRepository;
  readonly creditNotes: CreditNoteRepository;
  readonly sequences: SequenceRepository;
  readonly jobs: JobScheduler;
  readonly outbox: Outbox;
}

export interface UnitOfWork {
  /**
   * Runs `fn` in one transaction. Resolves with its value after commit; if `fn` throws (including
   * `VersionConflictError`), rolls back and rethrows. `organizationId` scopes the transaction
   * (e.g. row-level security); null for cross-organization work such as reconciliation sweeps.
   * Never call a payment gateway inside `fn`.
   */
  run<T>(organizationId: Id | null, fn: (tx: Tx) => Promise<T>): Promise<T>;
}
