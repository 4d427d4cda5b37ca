export type IdKind =
  | 'organization'
  | 'stripe_connection'
  | 'customer'
  | 'payment_method'
  | 'add_on'
  | 'invoice'
  | 'invoice_metadata'
  | 'fee'
  | 'payment'
  | 'credit_note'
  | 'credit_note_item'
  | 'refund'
  | 'payment_request'
  | 'event';

/** UUIDs in production; sequential, readable ids in tests. */
export interface IdGenerator {
  next(kind: IdKind): string;
}
