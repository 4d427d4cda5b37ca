import type {
  AddOn,
  CreditNote,
  Customer,
  Invoice,
  ManualPayment,
  Payment,
  PaymentRequest,
} from '@payrail/domain';
import type { PageRequest } from '@payrail/lago-wire';

export interface Page<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
}

export interface CustomerFilter {
  readonly externalId?: string;
  readonly searchTerm?: string;
  readonly currencies?: readonly string[];
  readonly countries?: readonly string[];
}

export interface InvoiceFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly statuses?: readonly ('draft' | 'finalized' | 'voided')[];
  readonly paymentStatuses?: readonly ('pending' | 'succeeded' | 'failed')[];
  readonly currency?: string;
  readonly issuingDateFrom?: string;
  readonly issuingDateTo?: string;
  readonly amountFrom?: number;
  readonly amountTo?: number;
  readonly paymentDisputeLost?: boolean;
  readonly searchTerm?: string;
  /** `payment_overdue=true` matches nothing: Payrail invoices are due on issue and never flagged. */
  readonly paymentOverdue?: boolean;
}

export interface PaymentFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly invoiceId?: string;
}

export interface PaymentRequestFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly paymentStatus?: 'pending' | 'succeeded' | 'failed';
  readonly currency?: string;
}

export interface CreditNoteFilter {
  readonly externalCustomerId?: string;
  readonly customerId?: string;
  readonly currency?: string;
  readonly reason?: string;
  readonly creditStatus?: string;
  readonly refundStatus?: string;
  readonly issuingDateFrom?: string;
  readonly issuingDateTo?: string;
  readonly amountFrom?: number;
  readonly amountTo?: number;
  readonly searchTerm?: string;
  readonly invoiceNumber?: string;
}

/** Paginated, filtered reads the domain has no port for; always scoped to one organization. */
export interface ListQueries {
  customers(organizationId: string, filter: CustomerFilter, page: PageRequest): Promise<Page<Customer>>;
  addOns(organizationId: string, page: PageRequest): Promise<Page<AddOn>>;
  invoices(organizationId: string, filter: InvoiceFilter, page: PageRequest): Promise<Page<Invoice>>;
  /** Stripe attempts and manual payments together, newest first. */
  payments(
    organizationId: string,
    filter: PaymentFilter,
    page: PageRequest,
  ): Promise<Page<Payment | ManualPayment>>;
  creditNotes(organizationId: string, filter: CreditNoteFilter, page: PageRequest): Promise<Page<CreditNote>>;
  /** Newest first. */
  paymentRequests(
    organizationId: string,
    filter: PaymentRequestFilter,
    page: PageRequest,
  ): Promise<Page<PaymentRequest>>;
}
