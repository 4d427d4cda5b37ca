import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import type { Failure } from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, expandList, metadata, nullableStr, str } from '../params.js';
import { getCharge } from './lookup.js';

export type ChargeResult =
  | { status: 'succeeded' }
  | { status: 'pending' }
  | { status: 'failed'; failure: Failure };

function outcomeFor(result: ChargeResult): Stripe.Charge.Outcome {
  if (result.status === 'failed')
    return {
      advice_code: result.failure.code === 'card_declined' ? 'try_again_later' : null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'declined_by_network',
      reason: result.failure.declineCode ?? result.failure.code,
      risk_level: 'normal',
      seller_message: 'The bank did not return any further details with this decline.',
      type: 'issuer_declined',
    };
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    seller_message: 'Payment complete.',
    type: 'authorized',
  };
}

function methodDetails(
  pm: Stripe.PaymentMethod,
  amount: number,
  mandate: string | null,
): Stripe.Charge.PaymentMethodDetails {
  switch (pm.type) {
    case 'card': {
      const c = pm.card as Stripe.PaymentMethod.Card;
      return {
        type: 'card',
        card: {
          amount_authorized: amount,
          authorization_code: '123456',
          brand: c.brand,
          checks: c.checks,
          country: c.country,
          electronic_commerce_indicator: null,
          exp_month: c.exp_month,
          exp_year: c.exp_year,
          fingerprint: c.fingerprint ?? null,
          funding: c.funding,
          installments: null,
          last4: c.last4,
          mandate: null,
          network: c.brand,
          network_transaction_id: newId('', 15).slice(1),
          regulated_status: 'unregulated',
          three_d_secure: null,
          transaction_link_id: null,
          wallet: null,
        },
      };
    }
    case 'sepa_debit': {
      const s = pm.sepa_debit as Stripe.PaymentMethod.SepaDebit;
      return {
        type: 'sepa_debit',
        sepa_debit: {
          bank_code: s.bank_code,
          branch_code: s.branch_code,
          country: s.country,
          fingerprint: s.fingerprint,
          last4: s.last4,
          mandate,
        },
      };
    }
    case 'us_bank_account': {
      const u = pm.us_bank_account as Stripe.PaymentMethod.UsBankAccount;
      return {
        type: 'us_bank_account',
        us_bank_account: {
          account_holder_type: u.account_holder_type,
          account_type: u.account_type,
          bank_name: u.bank_name,
          fingerprint: u.fingerprint,
          last4: u.last4,
          ...(mandate ? { mandate } : {}),
          payment_reference: null,
          routing_number: u.routing_number,
        },
      };
    }
    case 'link':
      return { type: 'link', link: { country: 'US' } } as Stripe.Charge.PaymentMethodDetails;
    case 'boleto':
      return {
        type: 'boleto',
        boleto: { tax_id: (pm.boleto as Stripe.PaymentMethod.Boleto).tax_id },
      } as Stripe.Charge.PaymentMethodDetails;
    case 'crypto':
      return { type: 'crypto', crypto: {} } as Stripe.Charge.PaymentMethodDetails;
    case 'customer_balance':
      return { type: 'customer_balance', customer_balance: {} } as Stripe.Charge.PaymentMethodDetails;
    default: {
      const b = pm.bacs_debit as Stripe.PaymentMethod.BacsDebit;
      return {
        type: 'bacs_debit',
        bacs_debit: { fingerprint: b.fingerprint, last4: b.last4, mandate, sort_code: b.sort_code },
      };
    }
  }
}

export function createCharge(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  result: ChargeResult,
  mandate: string | null = null,
): Stripe.Charge {
  const succeeded = result.status === 'succeeded';
  const failure = result.status === 'failed' ? result.failure : null;
  const charge = {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: succeeded ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? newId('txn') : null,
    billing_details: { ...pm.billing_details, tax_id: null },
    calculated_statement_descriptor: 'PAYRAIL EMULATOR',
    captured: result.status !== 'failed',
    created: ctx.emu.clock.now(),
    currency: pi.currency,
    customer: typeof pi.customer === 'string' || pi.customer === null ? pi.customer : pi.customer.id,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: outcomeFor(result),
    paid: succeeded,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: methodDetails(pm, pi.amount, mandate),
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: result.status,
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.Charge;
  const stored: Stripe.Charge = charge;
  ctx.account.charges.set(stored.id, stored);
  ctx.emu.own(ctx.account, stored.id);
  return stored;
}

/** A pending bank debit charge reaching its final state. */
export function settleCharge(charge: Stripe.Charge, result: ChargeResult): void {
  charge.status = result.status;
  charge.outcome = outcomeFor(result);
  if (result.status === 'succeeded') {
    charge.paid = true;
    charge.amount_captured = charge.amount;
    charge.balance_transaction = newId('txn');
  } else if (result.status === 'failed') {
    charge.paid = false;
    charge.captured = false;
    charge.failure_code = result.failure.code;
    charge.failure_message = result.failure.message;
  }
}

export function renderCharge(ctx: Ctx, charge: Stripe.Charge): Stripe.Charge {
  return expand(ctx.account, charge, expandList(ctx.params));
}

export function retrieveCharge(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: renderCharge(ctx, getCharge(ctx, id)) };
}

export function updateCharge(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['description', 'metadata']);
  const charge = getCharge(ctx, id);
  const description = nullableStr(ctx.params, 'description');
  const meta = metadata(ctx.params, charge.metadata);
  const previous: Record<string, unknown> = {};
  if (description !== undefined) {
    previous.description = charge.description;
    charge.description = description;
  }
  if (meta !== undefined) {
    previous.metadata = charge.metadata;
    charge.metadata = meta;
  }
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.updated', charge, previous);
  return { body: renderCharge(ctx, charge) };
}

export function listCharges(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'customer', 'payment_intent']);
  const customer = str(ctx.params, 'customer');
  const paymentIntent = str(ctx.params, 'payment_intent');
  let items = newestFirst(ctx.account.charges.values());
  if (customer) items = items.filter((c) => c.customer === customer);
  if (paymentIntent) items = items.filter((c) => c.payment_intent === paymentIntent);
  return { body: expand(ctx.account, paginate(ctx.params, items, '/v1/charges'), expandList(ctx.params)) };
}
