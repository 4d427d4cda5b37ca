import type { ValidationCode } from '../errors.js';
import type { ProviderFailure } from '../model/common.js';
import type { BankTransferRequest } from '../model/payment.js';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../model/payment-method.js';
import type { CurrencyCode } from '../money.js';
import { err, ok, type Result } from '../result.js';

/**
 * The currencies each method can charge, from Stripe's payment-method compatibility pages: debit
 * schemes and boleto work in their country's currency, crypto (stablecoin) payments in USD, bank
 * transfers into the customer's cash balance in the five currencies Stripe offers virtual
 * accounts for; cards (and Link, which pays with a saved card) work in every currency.
 */
const CURRENCIES: { readonly [M in PaymentMethodType]: readonly string[] | null } = {
  card: null,
  sepa_debit: ['EUR'],
  us_bank_account: ['USD'],
  bacs_debit: ['GBP'],
  link: null,
  boleto: ['BRL'],
  crypto: ['USD'],
  customer_balance: ['USD', 'EUR', 'GBP', 'JPY', 'MXN'],
};

/**
 * Methods a customer saves through a setup checkout. Crypto and bank transfers are paid anew each
 * time: they cannot be saved, so they never appear on a setup page (as in Lago).
 */
const SETUP_CAPABLE: ReadonlySet<PaymentMethodType> = new Set([
  'card',
  'sepa_debit',
  'us_bank_account',
  'bacs_debit',
  'link',
  'boleto',
]);

export const DEFAULT_PAYMENT_METHODS: readonly PaymentMethodType[] = ['card'];

export function isPaymentMethodType(value: string): value is PaymentMethodType {
  return (PAYMENT_METHOD_TYPES as readonly string[]).includes(value);
}

/**
 * Validates a configured list: known values only, never empty, duplicates dropped, order kept.
 * Lago's combination rules hold too: Link pays with a card, so it needs `card`; bank transfers
 * (`customer_balance`) are charged without a saved method, so they stand alone.
 */
export function parsePaymentMethods(
  values: readonly string[],
): Result<readonly PaymentMethodType[], ValidationCode> {
  if (values.length === 0) return err('value_is_invalid');
  const parsed: PaymentMethodType[] = [];
  for (const value of values) {
    if (!isPaymentMethodType(value)) return err('value_is_invalid');
    if (!parsed.includes(value)) parsed.push(value);
  }
  if (parsed.includes('link') && !parsed.includes('card')) return err('value_is_invalid');
  if (parsed.includes('customer_balance') && parsed.length > 1) return err('value_is_invalid');
  return ok(parsed);
}

export function supportsCurrency(method: PaymentMethodType, currency: CurrencyCode): boolean {
  const only = CURRENCIES[method];
  return only === null || only.includes(currency);
}

/** The configured methods that can charge an invoice in `currency`, in configured order. */
export function methodsForCurrency(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode,
): readonly PaymentMethodType[] {
  return methods.filter((m) => supportsCurrency(m, currency));
}

/**
 * Rejects at configuration time a method list that can never charge the customer's currency,
 * instead of letting every invoice fail later.
 */
export function checkMethodsAgainstCurrency(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode | null,
): Result<void, ValidationCode> {
  if (currency === null) return ok();
  return methodsForCurrency(methods, currency).length > 0 ? ok() : err('no_compatible_payment_method');
}

/** The methods a setup checkout offers: the saveable ones that fit the customer's currency. */
export function setupCapableMethods(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode | null,
): readonly PaymentMethodType[] {
  const saveable = methods.filter((m) => SETUP_CAPABLE.has(m));
  return currency === null ? saveable : methodsForCurrency(saveable, currency);
}

/** Whether any configured method is saved through a setup checkout (else no link is made). */
export function needsSetup(methods: readonly PaymentMethodType[]): boolean {
  return methods.some((m) => SETUP_CAPABLE.has(m));
}

/** The bank transfer Stripe opens for a `customer_balance` payment, by currency (as Lago sends it). */
const BANK_TRANSFER_TYPE: Readonly<Record<string, BankTransferRequest['type']>> = {
  USD: 'us_bank_transfer',
  GBP: 'gb_bank_transfer',
  EUR: 'eu_bank_transfer',
  JPY: 'jp_bank_transfer',
  MXN: 'mx_bank_transfer',
};

/** Countries Stripe issues EUR virtual IBANs in. */
export const EU_BANK_TRANSFER_COUNTRIES: readonly string[] = ['BE', 'DE', 'ES', 'FR', 'IE', 'NL'];

/**
 * The bank transfer for a payment in `currency`. A EUR transfer needs an IBAN country Stripe
 * issues accounts in, taken from the customer's address; without one Stripe cannot open it
 * (Lago's `missing_country`).
 */
export function bankTransferFor(
  currency: CurrencyCode,
  customerCountry: string | null,
): Result<BankTransferRequest, 'missing_country' | 'no_compatible_payment_method'> {
  const type = BANK_TRANSFER_TYPE[currency];
  if (type === undefined) return err('no_compatible_payment_method');
  if (type !== 'eu_bank_transfer') return ok({ type, country: null });
  const country = customerCountry?.toUpperCase() ?? null;
  if (country === null || !EU_BANK_TRANSFER_COUNTRIES.includes(country)) return err('missing_country');
  return ok({ type, country });
}

/** How an attempt is charged: with a saved method of `allowedMethods`, or as a bank transfer. */
export interface ChargeMeans {
  readonly allowedMethods: readonly PaymentMethodType[];
  /** Set when the attempt opens a bank transfer, charged without a saved method. */
  readonly bankTransfer: BankTransferRequest | null;
}

/**
 * How an attempt in `currency` is charged with the customer's configured methods, for invoices and
 * payment requests alike. A bank transfer stands alone (configuration rule) and is opened without
 * a saved method; otherwise a saved method of the allowed ones is charged. Fails with Lago's
 * `no_compatible_payment_method`, or `missing_country` for a EUR transfer without an IBAN country.
 */
export function chargeMeans(
  methods: readonly PaymentMethodType[],
  currency: CurrencyCode,
  customerCountry: string | null,
): Result<ChargeMeans, ProviderFailure> {
  const allowedMethods = methodsForCurrency(methods, currency);
  const incompatible = {
    code: 'no_compatible_payment_method',
    message: `none of the customer's payment methods (${methods.join(', ')}) can pay in ${currency}`,
  };
  if (allowedMethods.length === 0) return err(incompatible);
  if (allowedMethods.length !== 1 || allowedMethods[0] !== 'customer_balance') {
    return ok({ allowedMethods, bankTransfer: null });
  }
  const bankTransfer = bankTransferFor(currency, customerCountry);
  if (bankTransfer.ok) return ok({ allowedMethods, bankTransfer: bankTransfer.value });
  return err(
    bankTransfer.error === 'missing_country'
      ? {
          code: 'missing_country',
          message: `a ${currency} bank transfer needs the customer's country, one of ${EU_BANK_TRANSFER_COUNTRIES.join(', ')}`,
        }
      : incompatible,
  );
}
