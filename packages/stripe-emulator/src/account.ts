/**
 * One Stripe account's state. Each secret key is its own account: objects, webhook endpoints,
 * events and idempotency keys never leak between keys.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Instrument } from './instruments.js';

export interface PaymentMethodState {
  instrument: Instrument;
  /** Detachment is permanent: the method can never be used or attached again. */
  detached: boolean;
  /** A SetupIntent succeeded with it, so `on_setup` cards pass off-session. */
  setUp: boolean;
}

export interface PaymentIntentState {
  offSession: boolean;
  errorOnRequiresAction: boolean;
  returnUrl: string | null;
}

export interface IdempotencyEntry {
  fingerprint: string;
  requestId: string;
  inFlight: boolean;
  status: number;
  body: string;
}

/** The account id a secret key maps to; only this hash of the key is ever written to a state file. */
export function accountIdOf(apiKey: string): string {
  return `acct_${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

export class Account {
  readonly customers = new Map<string, Stripe.Customer>();
  readonly deletedCustomers = new Set<string>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly paymentMethodState = new Map<string, PaymentMethodState>();
  readonly setupIntents = new Map<string, Stripe.SetupIntent>();
  readonly mandates = new Map<string, Stripe.Mandate>();
  /** SetupIntents owned by a Checkout Session: only the session may complete them. */
  readonly checkoutSetupIntents = new Set<string>();
  readonly checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  /**
   * `setup_intent_data` (setup mode) or `payment_intent_data` (payment mode) of each session,
   * applied to the SetupIntent or PaymentIntent made when the customer submits the page.
   */
  readonly sessionSetupData = new Map<
    string,
    { description: string | null; metadata: Record<string, string> }
  >();
  /** The line items of each payment-mode session. */
  readonly sessionLineItems = new Map<string, Stripe.LineItem[]>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly paymentIntentState = new Map<string, PaymentIntentState>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly disputes = new Map<string, Stripe.Dispute>();
  readonly webhookEndpoints = new Map<string, Stripe.WebhookEndpoint>();
  readonly webhookSecrets = new Map<string, string>();
  readonly events = new Map<string, Stripe.Event>();
  readonly idempotency = new Map<string, IdempotencyEntry>();
  /** Customer id → available cash balance per currency (bank transfers not yet applied). */
  readonly cashBalances = new Map<string, Record<string, number>>();

  constructor(readonly id: string) {}
}
