/** The payment method types Payrail collects with, with the currencies each can charge. */
export interface MethodOption {
  readonly value: string;
  readonly label: string;
  /** null: any currency. */
  readonly currencies: readonly string[] | null;
  readonly limit: string;
}

export const METHOD_OPTIONS: readonly MethodOption[] = [
  { value: 'card', label: 'Card', currencies: null, limit: 'Any currency' },
  { value: 'sepa_debit', label: 'SEPA Direct Debit', currencies: ['EUR'], limit: 'EUR invoices only' },
  {
    value: 'us_bank_account',
    label: 'ACH Direct Debit (US bank account)',
    currencies: ['USD'],
    limit: 'USD invoices only',
  },
  { value: 'bacs_debit', label: 'Bacs Direct Debit', currencies: ['GBP'], limit: 'GBP invoices only' },
  { value: 'link', label: 'Link', currencies: null, limit: 'Any currency; only together with Card' },
  { value: 'boleto', label: 'Boleto', currencies: ['BRL'], limit: 'BRL invoices only' },
  {
    value: 'crypto',
    label: 'Crypto (stablecoins)',
    currencies: ['USD'],
    limit: 'USD invoices only; paid on the invoice payment link, never saved',
  },
  {
    value: 'customer_balance',
    label: 'Bank transfer',
    currencies: ['USD', 'EUR', 'GBP', 'JPY', 'MXN'],
    limit: 'USD, EUR, GBP, JPY or MXN invoices; on its own only; EUR needs the country',
  },
];

/** Methods that can never charge this customer's currency: worth a warning next to the box. */
export function mismatchedMethods(methods: readonly string[], currency: string | null): string[] {
  if (!currency) return [];
  const code = currency.toUpperCase();
  return METHOD_OPTIONS.filter(
    (m) => methods.includes(m.value) && m.currencies !== null && !m.currencies.includes(code),
  ).map((m) => m.label);
}
