/** The payment method types the guide lists, with the only currency each can charge. */
export interface MethodOption {
  readonly value: string;
  readonly label: string;
  /** null: any currency. */
  readonly currency: string | null;
  readonly limit: string;
}

export const METHOD_OPTIONS: readonly MethodOption[] = [
  { value: 'card', label: 'Card', currency: null, limit: 'Any currency' },
  { value: 'sepa_debit', label: 'SEPA Direct Debit', currency: 'EUR', limit: 'EUR invoices only' },
  {
    value: 'us_bank_account',
    label: 'ACH Direct Debit (US bank account)',
    currency: 'USD',
    limit: 'USD invoices only',
  },
  { value: 'bacs_debit', label: 'Bacs Direct Debit', currency: 'GBP', limit: 'GBP invoices only' },
];

/** Methods that can never charge this customer's currency: worth a warning next to the box. */
export function mismatchedMethods(methods: readonly string[], currency: string | null): string[] {
  if (!currency) return [];
  return METHOD_OPTIONS.filter(
    (m) => methods.includes(m.value) && m.currency !== null && m.currency !== currency.toUpperCase(),
  ).map((m) => m.label);
}
