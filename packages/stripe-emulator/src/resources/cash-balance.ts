/**
 * Bank transfers into a customer's cash balance (`customer_balance` payments): the virtual
 * account Stripe gives each customer per currency (funding instructions), PaymentIntents waiting in
 * `requires_action` with `display_bank_transfer_instructions`, and the test helper that plays an
 * incoming transfer. Funds go to the customer's open bank-transfer intents of that currency,
 * oldest first: one left short is `partially_funded` (its `amount_remaining` drops), one covered
 * succeeds; what is left over stays in the cash balance for the next intent.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { newId } from '../ids.js';
import { instrumentById } from '../instruments.js';
import { allowOnly, hash, int, oneOf, type Params, str } from '../params.js';
import { createCharge } from './charges.js';
import { getCustomer, idOf } from './lookup.js';
import { succeed } from './payment-attempts.js';
import { buildPaymentMethod } from './payment-methods.js';

export type BankTransferType =
  | 'us_bank_transfer'
  | 'gb_bank_transfer'
  | 'eu_bank_transfer'
  | 'jp_bank_transfer'
  | 'mx_bank_transfer';

const TRANSFER_CURRENCY: Record<BankTransferType, string> = {
  us_bank_transfer: 'usd',
  gb_bank_transfer: 'gbp',
  eu_bank_transfer: 'eur',
  jp_bank_transfer: 'jpy',
  mx_bank_transfer: 'mxn',
};
const TRANSFER_TYPES = Object.keys(TRANSFER_CURRENCY) as BankTransferType[];
const EU_COUNTRIES = ['BE', 'DE', 'ES', 'FR', 'IE', 'NL'] as const;

export interface BankTransferChoice {
  type: BankTransferType;
  country: string | null;
}

/** `bank_transfer[type]` (+ `eu_bank_transfer[country]`) checked against the currency, before anything changes. */
function readTransfer(data: Params, currency: string, prefix: string): BankTransferChoice {
  const transfer = hash(data, 'bank_transfer', prefix);
  if (!transfer) throw parameterMissing(`${prefix}[bank_transfer][type]`);
  const at = `${prefix}[bank_transfer]`;
  allowOnly(transfer, ['type', 'eu_bank_transfer', 'requested_address_types'], at);
  const type = oneOf(transfer, 'type', TRANSFER_TYPES, at);
  if (!type) throw parameterMissing(`${at}[type]`);
  if (TRANSFER_CURRENCY[type] !== currency)
    throw invalidRequest(`The bank transfer type ${type} cannot be used with currency ${currency}.`, {
      param: `${at}[type]`,
    });
  if (type !== 'eu_bank_transfer') return { type, country: null };
  const eu = hash(transfer, 'eu_bank_transfer', at);
  const country = eu ? oneOf(eu, 'country', EU_COUNTRIES, `${at}[eu_bank_transfer]`) : undefined;
  if (!country) throw parameterMissing(`${at}[eu_bank_transfer][country]`);
  return { type, country };
}

/** `payment_method_options[customer_balance]` of an intent or session; null when absent. */
export function readCustomerBalanceOptions(
  params: Params,
  currency: string | null,
): Stripe.PaymentIntent.PaymentMethodOptions.CustomerBalance | null {
  const options = hash(params, 'payment_method_options');
  if (!options) return null;
  allowOnly(options, ['customer_balance'], 'payment_method_options');
  const prefix = 'payment_method_options[customer_balance]';
  const data = hash(options, 'customer_balance', 'payment_method_options');
  if (!data) return null;
  allowOnly(data, ['funding_type', 'bank_transfer', 'setup_future_usage'], prefix);
  const funding = oneOf(data, 'funding_type', ['bank_transfer'] as const, prefix);
  if (!funding) throw parameterMissing(`${prefix}[funding_type]`);
  if (!currency) throw parameterMissing('currency');
  const { type, country } = readTransfer(data, currency, prefix);
  return {
    bank_transfer: {
      ...(country ? { eu_bank_transfer: { country } } : {}),
      requested_address_types: [],
      type,
    },
    funding_type: 'bank_transfer',
  } as Stripe.PaymentIntent.PaymentMethodOptions.CustomerBalance;
}

/** The intent's chosen transfer, or the error Stripe gives when it confirms a bank transfer without one. */
export function transferOf(pi: Stripe.PaymentIntent): BankTransferChoice {
  const options = pi.payment_method_options?.customer_balance;
  const transfer = options?.bank_transfer;
  if (options?.funding_type !== 'bank_transfer' || !transfer?.type)
    throw invalidRequest(
      'payment_method_options[customer_balance][funding_type] is required when confirming a PaymentIntent with the customer_balance payment method.',
      { param: 'payment_method_options[customer_balance][funding_type]' },
    );
  return {
    type: transfer.type as BankTransferType,
    country: (transfer as { eu_bank_transfer?: { country: string } }).eu_bank_transfer?.country ?? null,
  };
}

/** A `customer_balance` PaymentMethod from `payment_method_data[type]=customer_balance`. */
export function customerBalanceMethod(ctx: Ctx) {
  const instrument = instrumentById('customer_balance');
  if (!instrument) throw new Error('the customer_balance instrument is missing');
  return buildPaymentMethod(ctx, instrument, {}, undefined, {}, false);
}

function digits(seed: string, count: number): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  let out = '';
  for (const ch of hex) {
    out += (Number.parseInt(ch, 16) % 10).toString();
    if (out.length === count) break;
  }
  return out;
}

/** The customer's own virtual account for a transfer type: the same every time, as Stripe's is. */
export function financialAddresses(
  customerId: string,
  transfer: BankTransferChoice,
): Record<string, unknown>[] {
  const seed = `${customerId}:${transfer.type}:${transfer.country ?? ''}`;
  const holder = 'Stripe Payments (test)';
  switch (transfer.type) {
    case 'us_bank_transfer':
      return [
        {
          type: 'aba',
          aba: {
            account_holder_name: holder,
            account_number: digits(seed, 12),
            account_type: 'checking',
            bank_name: 'STRIPE TEST BANK',
            routing_number: '110000000',
          },
          supported_networks: ['ach', 'domestic_wire_us'],
        },
      ];
    case 'gb_bank_transfer':
      return [
        {
          type: 'sort_code',
          sort_code: { account_holder_name: holder, account_number: digits(seed, 8), sort_code: '108800' },
          supported_networks: ['bacs', 'fps'],
        },
      ];
    case 'eu_bank_transfer': {
      const country = transfer.country ?? 'DE';
      return [
        {
          type: 'iban',
          iban: {
            account_holder_name: holder,
            bic: 'SXPYDEHH',
            country,
            iban: `${country}00${digits(seed, 18)}`,
          },
          supported_networks: ['sepa'],
        },
      ];
    }
    case 'jp_bank_transfer':
      return [
        {
          type: 'zengin',
          zengin: {
            account_holder_name: holder,
            account_number: digits(seed, 7),
            account_type: 'futsu',
            bank_code: '0001',
            bank_name: 'TEST BANK',
            branch_code: '001',
            branch_name: 'TEST BRANCH',
          },
          supported_networks: ['zengin'],
        },
      ];
    case 'mx_bank_transfer':
      return [
        {
          type: 'spei',
          spei: { bank_code: '002', bank_name: 'TEST BANK', clabe: digits(seed, 18) },
          supported_networks: ['spei'],
        },
      ];
  }
}

/**
 * A confirmed bank transfer: the intent waits for the customer's transfer, then takes whatever the
 * cash balance already holds.
 */
export function awaitTransfer(ctx: Ctx, pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod): void {
  const customerId = idOf(pi.customer);
  if (!customerId)
    throw invalidRequest('A customer is required to use the customer_balance payment method.', {
      param: 'customer',
    });
  const transfer = transferOf(pi);
  pi.payment_method = pm.id;
  pi.status = 'requires_action';
  pi.next_action = {
    type: 'display_bank_transfer_instructions',
    display_bank_transfer_instructions: {
      amount_remaining: pi.amount,
      currency: pi.currency,
      financial_addresses: financialAddresses(customerId, transfer),
      hosted_instructions_url: `${ctx.emu.baseUrl}/_emulator/bank_transfer/${pi.id}`,
      reference: digits(`${pi.id}:reference`, 10),
      type: transfer.type,
    },
  } as unknown as Stripe.PaymentIntent.NextAction;
  ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.requires_action', pi);
  applyCashBalance(ctx, customerId, pi.currency);
}

function balanceOf(ctx: Ctx, customerId: string): Record<string, number> {
  let balance = ctx.account.cashBalances.get(customerId);
  if (!balance) {
    balance = {};
    ctx.account.cashBalances.set(customerId, balance);
  }
  return balance;
}

function remainingOf(pi: Stripe.PaymentIntent): number {
  const instructions = pi.next_action?.display_bank_transfer_instructions as
    | { amount_remaining: number | null }
    | undefined;
  return instructions?.amount_remaining ?? 0;
}

/** Moves the customer's cash balance in `currency` onto their waiting bank-transfer intents, oldest first. */
function applyCashBalance(ctx: Ctx, customerId: string, currency: string): void {
  const balance = balanceOf(ctx, customerId);
  const waiting = [...ctx.account.paymentIntents.values()]
    .filter(
      (pi) =>
        idOf(pi.customer) === customerId &&
        pi.currency === currency &&
        pi.status === 'requires_action' &&
        pi.next_action?.type === 'display_bank_transfer_instructions',
    )
    .sort((a, b) => a.created - b.created);
  for (const pi of waiting) {
    const available = balance[currency] ?? 0;
    if (available <= 0) return;
    const remaining = remainingOf(pi);
    const applied = Math.min(available, remaining);
    balance[currency] = available - applied;
    const left = remaining - applied;
    const instructions = pi.next_action?.display_bank_transfer_instructions as { amount_remaining: number };
    instructions.amount_remaining = left;
    if (left > 0) {
      ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.partially_funded', pi);
      continue;
    }
    const pm = ctx.account.paymentMethods.get(idOf(pi.payment_method) ?? '');
    if (!pm) continue;
    succeed(ctx, pi, createCharge(ctx, pi, pm, { status: 'succeeded' }), pm);
  }
}

/** `POST /v1/customers/{id}/funding_instructions`: the customer's virtual account for a currency. */
export function createFundingInstructions(ctx: Ctx, customerId: string): Reply {
  const p = ctx.params;
  allowOnly(p, ['currency', 'funding_type', 'bank_transfer']);
  const customer = getCustomer(ctx, customerId);
  const currency = str(p, 'currency')?.toLowerCase();
  if (!currency) throw parameterMissing('currency');
  if (!oneOf(p, 'funding_type', ['bank_transfer'] as const)) throw parameterMissing('funding_type');
  const transfer = readTransfer(p, currency, '');
  return {
    body: {
      object: 'funding_instructions',
      bank_transfer: {
        country: transfer.country ?? countryOf(transfer.type),
        financial_addresses: financialAddresses(customer.id, transfer),
        type: transfer.type,
      },
      currency,
      funding_type: 'bank_transfer',
      livemode: false,
    },
  };
}

function countryOf(type: BankTransferType): string {
  return {
    us_bank_transfer: 'US',
    gb_bank_transfer: 'GB',
    eu_bank_transfer: 'DE',
    jp_bank_transfer: 'JP',
    mx_bank_transfer: 'MX',
  }[type];
}

/**
 * `POST /v1/test_helpers/customers/{id}/fund_cash_balance`: a transfer arrives on the customer's
 * virtual account; it funds their waiting intents and the rest stays in the cash balance.
 */
export function fundCashBalance(ctx: Ctx, customerId: string): Reply {
  const p = ctx.params;
  allowOnly(p, ['amount', 'currency', 'reference']);
  const customer = getCustomer(ctx, customerId);
  const amount = int(p, 'amount');
  if (amount === undefined) throw parameterMissing('amount');
  if (amount <= 0)
    throw invalidRequest('Amount must be a positive integer.', {
      param: 'amount',
      code: 'parameter_invalid_integer',
    });
  const currency = str(p, 'currency')?.toLowerCase();
  if (!currency) throw parameterMissing('currency');
  if (!Object.values(TRANSFER_CURRENCY).includes(currency))
    throw invalidRequest(`Cash balances cannot be funded in ${currency}.`, { param: 'currency' });
  const balance = balanceOf(ctx, customer.id);
  balance[currency] = (balance[currency] ?? 0) + amount;
  const transaction = {
    id: newId('ccsbtxn'),
    object: 'customer_cash_balance_transaction',
    created: ctx.emu.clock.now(),
    currency,
    customer: customer.id,
    ending_balance: balance[currency],
    funded: { bank_transfer: { reference: str(p, 'reference') ?? null, type: transferTypeOf(currency) } },
    livemode: false,
    net_amount: amount,
    type: 'funded',
  };
  ctx.emu.events.emit(
    ctx.account,
    ctx.source,
    'customer_cash_balance_transaction.created',
    transaction as unknown as Stripe.CustomerCashBalanceTransaction,
  );
  applyCashBalance(ctx, customer.id, currency);
  return { body: transaction };
}

function transferTypeOf(currency: string): BankTransferType {
  return TRANSFER_TYPES.find((t) => TRANSFER_CURRENCY[t] === currency) as BankTransferType;
}

/** `GET /v1/customers/{id}/cash_balance`. */
export function retrieveCashBalance(ctx: Ctx, customerId: string): Reply {
  allowOnly(ctx.params, []);
  const customer = getCustomer(ctx, customerId);
  return {
    body: {
      object: 'cash_balance',
      available: { ...balanceOf(ctx, customer.id) },
      customer: customer.id,
      livemode: false,
      settings: { reconciliation_mode: 'automatic', using_merchant_default: true },
    },
  };
}
