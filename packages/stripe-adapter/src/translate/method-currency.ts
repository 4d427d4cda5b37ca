import { type CurrencyCode, type PaymentMethodType, supportsCurrency } from '@payrail/domain';

/** The single currency a setup-capable method charges in, if it has one (Stripe's compatibility pages). */
const SETUP_CURRENCY: Readonly<Partial<Record<PaymentMethodType, string>>> = {
  sepa_debit: 'EUR',
  us_bank_account: 'USD',
  bacs_debit: 'GBP',
  boleto: 'BRL',
};

/** The methods that can charge `currency`, by the domain's rules (the one table of them). */
export function methodsForCurrency(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode,
): PaymentMethodType[] {
  return [...new Set(methods)].filter((m) => supportsCurrency(m, currency));
}

/** The one currency the single-currency methods share, if they do (setup-mode Checkout needs a currency). */
export function impliedCurrency(methods: readonly PaymentMethodType[]): string | null {
  const currencies = new Set(methods.map((m) => SETUP_CURRENCY[m]).filter((c) => c !== undefined));
  return currencies.size === 1 ? ([...currencies][0] ?? null) : null;
}

export function needsCurrency(methods: readonly PaymentMethodType[]): boolean {
  return methods.some((m) => SETUP_CURRENCY[m] !== undefined);
}
