import type { ListQueries as PersistedLists } from '@payrail/persistence';

export type {
  CreditNoteFilter,
  CustomerFilter,
  InvoiceFilter,
  Page,
  PaymentFilter,
  PaymentRequestFilter,
} from '@payrail/persistence';

/** Lago's filtered, paginated lists, always scoped to one organization: persistence's queries. */
export type ListQueries = Pick<
  PersistedLists,
  'customers' | 'addOns' | 'invoices' | 'payments' | 'creditNotes' | 'paymentRequests'
>;
