import type { IdGenerator, IdKind } from '../ports/id-generator.js';

const KIND_DIGIT: { readonly [K in IdKind]: string } = {
  organization: '1',
  stripe_connection: '2',
  customer: '3',
  payment_method: '4',
  add_on: '5',
  invoice: '6',
  fee: '7',
  payment: '8',
  credit_note: '9',
  credit_note_item: 'a',
  refund: 'b',
  event: 'c',
  invoice_metadata: 'd',
  payment_request: 'e',
};

/**
 * Deterministic UUID-shaped ids (version 4 layout) that still read well in failures:
 * `00000006-0000-4000-8000-000000000003` is the third id handed out, an invoice.
 */
export class SequentialIds implements IdGenerator {
  #count = 0;

  next(kind: IdKind): string {
    this.#count += 1;
    return `0000000${KIND_DIGIT[kind]}-0000-4000-8000-${String(this.#count).padStart(12, '0')}`;
  }
}
