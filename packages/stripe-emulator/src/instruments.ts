/**
 * Stripe's test-mode payment instruments (stripe-facts.md §3) and what each does. Magic tokens
 * (`pm_card_visa`), raw test numbers and the hosted checkout page all resolve to one of these.
 */
export type MethodType =
  | 'card'
  | 'sepa_debit'
  | 'us_bank_account'
  | 'bacs_debit'
  | 'link'
  | 'boleto'
  | 'crypto'
  | 'customer_balance';

export const METHOD_TYPES: readonly MethodType[] = [
  'card',
  'sepa_debit',
  'us_bank_account',
  'bacs_debit',
  'link',
  'boleto',
  'crypto',
  'customer_balance',
];

/**
 * The currencies each type can be used in (Stripe's payment-method compatibility pages, stripe-facts.md
 * §4.2): bank debits and boleto their country's, crypto USD, bank transfers (cash balance) the five
 * currencies Stripe opens virtual accounts in; cards and Link any.
 */
export const METHOD_CURRENCY: Record<MethodType, readonly string[] | null> = {
  card: null,
  sepa_debit: ['eur'],
  us_bank_account: ['usd'],
  bacs_debit: ['gbp'],
  link: null,
  boleto: ['brl'],
  crypto: ['usd'],
  customer_balance: ['usd', 'eur', 'gbp', 'jpy', 'mxn'],
};

/** Types a SetupIntent (and a setup-mode Checkout Session) can save: not crypto, not bank transfers. */
export const SETUP_METHOD_TYPES: ReadonlySet<MethodType> = new Set([
  'card',
  'sepa_debit',
  'us_bank_account',
  'bacs_debit',
  'link',
  'boleto',
]);

export interface Failure {
  code: string;
  declineCode?: string;
  message: string;
}

export interface Behaviour {
  /** Declined cards: attaching and charging both fail. */
  decline?: Failure;
  /** Attaches fine; every charge fails. */
  chargeFailure?: Failure;
  /** 'always': every payment needs 3DS; 'on_setup': after a setup, off-session payments pass. */
  auth?: 'always' | 'on_setup';
  dispute?: { reason: string; inquiry: boolean };
  refund?: 'pending' | 'fail';
  /** Bank debits: when the processing payment settles on the emulator clock. */
  settle?: 'normal' | 'delayed' | 'never';
  setupFailure?: Failure;
  /** Boleto: the customer pays the voucher three minutes after it is issued, or never (it expires). */
  voucher?: 'paid' | 'expires';
}

export interface Instrument {
  /** Stable id used by the hosted page and the test controls. */
  id: string;
  type: MethodType;
  label: string;
  tokens: readonly string[];
  /** Card number, IBAN, ACH account number or Bacs account number. */
  number: string;
  brand?: string;
  behaviour: Behaviour;
}

const declined = (message: string, code = 'card_declined', declineCode?: string): Failure =>
  declineCode ? { code, declineCode, message } : { code, message };

const GENERIC_DECLINE = declined('Your card was declined.', 'card_declined', 'generic_decline');

const card = (
  id: string,
  number: string,
  label: string,
  tokens: string[],
  behaviour: Behaviour = {},
  brand = 'visa',
): Instrument => ({ id, type: 'card', number, label, tokens, behaviour, brand });

export const INSTRUMENTS: readonly Instrument[] = [
  card('card_visa', '4242424242424242', 'Visa 4242: succeeds', ['pm_card_visa', 'tok_visa']),
  card('card_visa_debit', '4000056655665556', 'Visa debit 5556: succeeds', ['pm_card_visa_debit']),
  card(
    'card_mastercard',
    '5555555555554444',
    'Mastercard 4444: succeeds',
    ['pm_card_mastercard'],
    {},
    'mastercard',
  ),
  card('card_amex', '378282246310005', 'American Express 0005: succeeds', ['pm_card_amex'], {}, 'amex'),
  card(
    'card_charge_customer_fail',
    '4000000000000341',
    'Visa 0341: saves, then every charge is declined',
    ['pm_card_chargeCustomerFail'],
    { chargeFailure: GENERIC_DECLINE },
  ),
  card(
    'card_authentication_required',
    '4000002760003184',
    'Visa 3184: every payment requires authentication (3D Secure)',
    ['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required'],
    { auth: 'always' },
  ),
  card(
    'card_authentication_on_setup',
    '4000002500003155',
    'Visa 3155: authentication when saved, off-session payments succeed',
    ['pm_card_authenticationRequiredOnSetup'],
    { auth: 'on_setup' },
  ),
  card(
    'card_declined',
    '4000000000000002',
    'Visa 0002: declined (cannot be saved)',
    ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined', 'tok_chargeDeclined'],
    { decline: GENERIC_DECLINE },
  ),
  card(
    'card_insufficient_funds',
    '4000000000009995',
    'Visa 9995: declined, insufficient funds (cannot be saved)',
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'pm_card_chargeDeclinedInsufficientFunds'],
    { decline: declined('Your card has insufficient funds.', 'card_declined', 'insufficient_funds') },
  ),
  card(
    'card_lost',
    '4000000000009987',
    'Visa 9987: declined, lost card',
    ['pm_card_visa_chargeDeclinedLostCard', 'pm_card_chargeDeclinedLostCard'],
    { decline: declined('Your card was declined.', 'card_declined', 'lost_card') },
  ),
  card(
    'card_stolen',
    '4000000000009979',
    'Visa 9979: declined, stolen card',
    ['pm_card_visa_chargeDeclinedStolenCard', 'pm_card_chargeDeclinedStolenCard'],
    { decline: declined('Your card was declined.', 'card_declined', 'stolen_card') },
  ),
  card('card_expired', '4000000000000069', 'Visa 0069: expired card', ['pm_card_chargeDeclinedExpiredCard'], {
    decline: declined('Your card has expired.', 'expired_card', 'expired_card'),
  }),
  card(
    'card_incorrect_cvc',
    '4000000000000127',
    'Visa 0127: incorrect CVC',
    ['pm_card_chargeDeclinedIncorrectCvc'],
    { decline: declined("Your card's security code is incorrect.", 'incorrect_cvc', 'incorrect_cvc') },
  ),
  card(
    'card_processing_error',
    '4000000000000119',
    'Visa 0119: processing error',
    ['pm_card_chargeDeclinedProcessingError'],
    {
      decline: declined(
        'An error occurred while processing your card. Try again in a little bit.',
        'processing_error',
        'processing_error',
      ),
    },
  ),
  card(
    'card_velocity_exceeded',
    '4000000000006975',
    'Visa 6975: declined, velocity limit exceeded',
    ['pm_card_visa_chargeDeclinedVelocityLimitExceeded'],
    {
      decline: declined(
        'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
        'card_declined',
        'card_velocity_exceeded',
      ),
    },
  ),
  card(
    'card_dispute',
    '4000000000000259',
    'Visa 0259: succeeds, then disputed as fraudulent',
    ['pm_card_createDispute'],
    { dispute: { reason: 'fraudulent', inquiry: false } },
  ),
  card(
    'card_dispute_product_not_received',
    '4000000000002685',
    'Visa 2685: succeeds, then disputed (product not received)',
    ['pm_card_createDisputeProductNotReceived'],
    { dispute: { reason: 'product_not_received', inquiry: false } },
  ),
  card(
    'card_dispute_inquiry',
    '4000000000001976',
    'Visa 1976: succeeds, then an inquiry',
    ['pm_card_createDisputeInquiry'],
    { dispute: { reason: 'general', inquiry: true } },
  ),
  card(
    'card_pending_refund',
    '4000000000007726',
    'Visa 7726: refunds stay pending, then succeed',
    ['pm_card_pendingRefund'],
    { refund: 'pending' },
  ),
  card(
    'card_refund_fail',
    '4000000000005126',
    'Visa 5126: refunds succeed, then fail',
    ['pm_card_refundFail'],
    {
      refund: 'fail',
    },
  ),
  ...sepa(),
  ...ach(),
  ...bacs(),
  ...laterMethods(),
];

/**
 * Link (a card saved in the customer's Link wallet; the `number` is its email), boleto vouchers
 * (the `number` is the CPF tax id Stripe's test mode reacts to), crypto (stablecoins paid on the
 * hosted page) and bank transfers into the customer's cash balance.
 */
function laterMethods(): Instrument[] {
  return [
    {
      id: 'link_success',
      type: 'link',
      number: 'test@link.com',
      label: 'Link (card in the Link wallet): succeeds',
      tokens: [],
      behaviour: {},
    },
    {
      id: 'boleto_paid',
      type: 'boleto',
      number: '00000000000',
      label: 'CPF 000.000.000-00: the voucher is paid 3 minutes after it is issued',
      tokens: [],
      behaviour: { voucher: 'paid' },
    },
    {
      id: 'boleto_expires',
      type: 'boleto',
      number: '11111111111',
      label: 'CPF 111.111.111-11: the voucher is never paid and expires',
      tokens: [],
      behaviour: { voucher: 'expires' },
    },
    {
      id: 'crypto_success',
      type: 'crypto',
      number: '0x0000000000000000000000000000000000000000',
      label: 'Stablecoin wallet: pays at once',
      tokens: [],
      behaviour: {},
    },
    {
      id: 'customer_balance',
      type: 'customer_balance',
      number: 'cash_balance',
      label: 'Bank transfer: shows the account to transfer to',
      tokens: [],
      behaviour: {},
    },
  ];
}

function sepa(): Instrument[] {
  const s = (
    id: string,
    iban: string,
    label: string,
    tokens: string[],
    behaviour: Behaviour,
  ): Instrument => ({
    id,
    type: 'sepa_debit',
    number: iban,
    label,
    tokens,
    behaviour,
  });
  const failed: Failure = { code: 'insufficient_funds', message: 'The account has insufficient funds.' };
  return [
    s('sepa_success', 'DE89370400440532013000', 'IBAN DE89 …3000: succeeds', ['pm_success_de'], {
      settle: 'normal',
    }),
    s(
      'sepa_success_at',
      'AT611904300234573201',
      'IBAN AT61 …3201: succeeds',
      ['pm_success_at', 'pm_sepaDebit_success_at'],
      {
        settle: 'normal',
      },
    ),
    s(
      'sepa_success_delayed',
      'DE08370400440532013003',
      'IBAN DE08 …3003: succeeds after 3 minutes',
      ['pm_successDelayed_de'],
      { settle: 'delayed' },
    ),
    s(
      'sepa_success_delayed_at',
      'AT321904300235473204',
      'IBAN AT32 …3204: succeeds after 3 minutes',
      ['pm_successDelayed_at'],
      { settle: 'delayed' },
    ),
    s('sepa_failed', 'DE62370400440532013001', 'IBAN DE62 …3001: fails', ['pm_failed_de'], {
      settle: 'normal',
      chargeFailure: failed,
    }),
    s(
      'sepa_failed_at',
      'AT861904300235473202',
      'IBAN AT86 …3202: fails',
      ['pm_failed_at', 'pm_sepaDebit_failed_at'],
      {
        settle: 'normal',
        chargeFailure: failed,
      },
    ),
    s(
      'sepa_failed_delayed',
      'DE78370400440532013004',
      'IBAN DE78 …3004: fails after 3 minutes',
      ['pm_failedDelayed_de'],
      {
        settle: 'delayed',
        chargeFailure: failed,
      },
    ),
    s(
      'sepa_failed_delayed_at',
      'AT051904300235473205',
      'IBAN AT05 …3205: fails after 3 minutes',
      ['pm_failedDelayed_at'],
      { settle: 'delayed', chargeFailure: failed },
    ),
    s(
      'sepa_disputed',
      'DE35370400440532013002',
      'IBAN DE35 …3002: succeeds, then disputed',
      ['pm_disputed_de'],
      {
        settle: 'normal',
        dispute: { reason: 'debit_not_authorized', inquiry: false },
      },
    ),
    s(
      'sepa_disputed_at',
      'AT591904300235473203',
      'IBAN AT59 …3203: succeeds, then disputed',
      ['pm_disputed_at'],
      {
        settle: 'normal',
        dispute: { reason: 'debit_not_authorized', inquiry: false },
      },
    ),
  ];
}

function ach(): Instrument[] {
  const a = (
    id: string,
    account: string,
    label: string,
    token: string,
    behaviour: Behaviour,
  ): Instrument => ({
    id,
    type: 'us_bank_account',
    number: account,
    label,
    tokens: [token],
    behaviour,
  });
  return [
    a('ach_success', '000123456789', 'Account 000123456789: succeeds', 'pm_usBankAccount_success', {
      settle: 'normal',
    }),
    a(
      'ach_account_closed',
      '000111111113',
      'Account 000111111113: fails, account closed',
      'pm_usBankAccount_accountClosed',
      {
        settle: 'normal',
        chargeFailure: { code: 'account_closed', message: "The customer's bank account has been closed." },
      },
    ),
    a(
      'ach_no_account',
      '000111111116',
      'Account 000111111116: fails, no account',
      'pm_usBankAccount_noAccount',
      {
        settle: 'normal',
        chargeFailure: { code: 'no_account', message: "The customer's bank account could not be located." },
      },
    ),
    a(
      'ach_insufficient_funds',
      '000222222227',
      'Account 000222222227: fails, insufficient funds',
      'pm_usBankAccount_insufficientFunds',
      {
        settle: 'normal',
        chargeFailure: { code: 'insufficient_funds', message: 'The account has insufficient funds.' },
      },
    ),
    a(
      'ach_debit_not_authorized',
      '000333333335',
      'Account 000333333335: fails, debit not authorized',
      'pm_usBankAccount_debitNotAuthorized',
      {
        settle: 'normal',
        chargeFailure: { code: 'debit_not_authorized', message: 'The debit was not authorized.' },
      },
    ),
    a(
      'ach_dispute',
      '000555555559',
      'Account 000555555559: succeeds, then disputed',
      'pm_usBankAccount_dispute',
      {
        settle: 'normal',
        dispute: { reason: 'debit_not_authorized', inquiry: false },
      },
    ),
    a(
      'ach_processing',
      '000000000009',
      'Account 000000000009: stays processing',
      'pm_usBankAccount_processing',
      {
        settle: 'never',
      },
    ),
  ];
}

function bacs(): Instrument[] {
  const b = (
    id: string,
    account: string,
    label: string,
    token: string,
    behaviour: Behaviour,
  ): Instrument => ({
    id,
    type: 'bacs_debit',
    number: account,
    label,
    tokens: [token],
    behaviour,
  });
  const insufficient: Failure = {
    code: 'insufficient_funds',
    message: 'The account has insufficient funds.',
  };
  const notAuthorized: Failure = { code: 'debit_not_authorized', message: 'The debit was not authorized.' };
  return [
    b('bacs_success', '00012345', 'Sort code 10-88-00, account 00012345: succeeds', 'pm_bacsDebit_success', {
      settle: 'normal',
    }),
    b(
      'bacs_success_delayed',
      '90012345',
      'Account 90012345: succeeds after 3 minutes',
      'pm_bacsDebit_successDelayed',
      {
        settle: 'delayed',
      },
    ),
    b(
      'bacs_insufficient_funds',
      '22222227',
      'Account 22222227: fails, insufficient funds',
      'pm_bacsDebit_insufficientFunds',
      {
        settle: 'normal',
        chargeFailure: insufficient,
      },
    ),
    b(
      'bacs_debit_not_authorized',
      '33333335',
      'Account 33333335: fails, debit not authorized',
      'pm_bacsDebit_debitNotAuthorized',
      {
        settle: 'normal',
        chargeFailure: notAuthorized,
      },
    ),
    b('bacs_dispute', '55555559', 'Account 55555559: succeeds, then disputed', 'pm_bacsDebit_dispute', {
      settle: 'normal',
      dispute: { reason: 'debit_not_authorized', inquiry: false },
    }),
    b(
      'bacs_setup_fails',
      '00044444',
      'Account 00044444: cannot be set up (invalid account)',
      'pm_bacsDebit_invalidAccount',
      {
        settle: 'normal',
        setupFailure: { code: 'invalid_account_number', message: 'The bank account details are invalid.' },
      },
    ),
  ];
}

const byToken = new Map<string, Instrument>();
const byId = new Map<string, Instrument>();
const byNumber = new Map<string, Instrument>();
for (const i of INSTRUMENTS) {
  byId.set(i.id, i);
  byNumber.set(`${i.type}:${i.number}`, i);
  for (const t of i.tokens) byToken.set(t, i);
}

export function instrumentByToken(token: string): Instrument | undefined {
  return byToken.get(token);
}

export function instrumentById(id: string): Instrument | undefined {
  return byId.get(id);
}

export function instrumentByNumber(type: MethodType, number: string): Instrument | undefined {
  return byNumber.get(`${type}:${number}`);
}

export function isMagicToken(value: string): boolean {
  return byToken.has(value);
}

/** Lowest amount Stripe accepts per currency, in minor units (stripe-facts.md §4.1). */
export const MINIMUM_AMOUNT: Record<string, number> = {
  usd: 50,
  aed: 200,
  ars: 50,
  aud: 50,
  brl: 50,
  cad: 50,
  chf: 50,
  cop: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  idr: 50,
  ils: 50,
  inr: 50,
  jpy: 50,
  krw: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  php: 50,
  pln: 200,
  ron: 200,
  rub: 50,
  sek: 300,
  sgd: 50,
  thb: 1000,
  zar: 50,
};

export const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** An amount as Stripe writes it in error messages: symbol and value, e.g. `$0.50` or `¥50`. */
export function formatAmount(currency: string, amount: number): string {
  const digits = ZERO_DECIMAL.has(currency) ? 0 : 2;
  const value = ZERO_DECIMAL.has(currency) ? amount : amount / 100;
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency.toUpperCase(),
      currencyDisplay: 'symbol',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
      .format(value)
      .replace(/\u00a0/g, ' ');
  } catch {
    return value.toFixed(digits);
  }
}

/** Stripe's wording for a minimum in the presentment currency: `$0.50 usd`. */
export function formatMinimum(currency: string, amount: number): string {
  return `${formatAmount(currency, amount)} ${currency}`;
}

/**
 * The emulated account settles in USD. Stripe's minimum table covers only currencies it can
 * settle in; a charge in any other currency must convert to at least the settlement currency's
 * minimum (50 cents). Fixed, approximate rates (USD per major unit) stand in for Stripe's
 * conversion, so tests are deterministic; a currency with no rate here falls back to 50 minor units.
 */
export const SETTLEMENT_CURRENCY = 'usd';
export const APPROXIMATE_USD_RATES: Readonly<Record<string, number>> = {
  twd: 0.031,
  kes: 0.0077,
  ngn: 0.00065,
  uah: 0.024,
  egp: 0.02,
  pkr: 0.0036,
  lkr: 0.0033,
  vnd: 0.00004,
};

/** Approximate USD cents an amount converts to, or null when the emulator knows no rate. */
export function convertToSettlementCents(currency: string, amount: number): number | null {
  const rate = APPROXIMATE_USD_RATES[currency];
  if (rate === undefined) return null;
  const major = ZERO_DECIMAL.has(currency) ? amount : amount / 100;
  return Math.floor(major * rate * 100);
}
