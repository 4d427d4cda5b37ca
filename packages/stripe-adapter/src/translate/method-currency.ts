import type { CurrencyCode, PaymentMethodType } from '@payrail/domain';

/** Bank debits work in one currency each; cards in all (Stripe's payment-method compatibility pages). */
const ONLY_CURRENCY: Readonly<Record<PaymentMethodType, string | null>> = {
  card: null,
  sepa_debit: 'EUR',
  us_bank_account: 'USD',
  bacs_debit: 'GBP',
};

export function methodsForCurrency(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode,
): PaymentMethodType[] {
  return [...new Set(methods)].filter((m) => {
    const only = ONLY_CURRENCY[m];
    return only === null || only === currency;
  });
}

/** The one currency the non-card methods share, if they do (setup-mode Checkout needs a currency). */
export function impliedCurrency(methods: readonly PaymentMethodType[]): string | null {
  const currencies = new Set(methods.map((m) => ONLY_CURRENCY[m]).filter((c) => c !== null));
  return currencies.size === 1 ? ([...currencies][0] ?? null) : null;
}

export function needsCurrency(methods: readonly PaymentMethodType[]): boolean {
  return methods.some((m) => ONLY_CURRENCY[m] !== null);
}
