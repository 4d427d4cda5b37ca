import { type CurrencyCode, err, type GatewayResult, ok, type PaymentMethodType } from '@payrail/domain';
import type Stripe from 'stripe';
import { callStripe } from '../call.js';
import { impliedCurrency, needsCurrency } from '../translate/method-currency.js';
import type { OperationContext } from './context.js';

/** Methods a setup-mode Checkout Session can save for later off-session charges. */
const SETUP_CAPABLE: ReadonlySet<PaymentMethodType> = new Set([
  'card',
  'sepa_debit',
  'us_bank_account',
  'bacs_debit',
]);

/** Stripe's own default lifetime of a Checkout Session, and the longest `expires_at` it accepts. */
const STRIPE_DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A "24 hours from now" computed a moment before the call, or on a clock a little off Stripe's. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

export async function createSetupCheckoutSession(
  ctx: OperationContext,
  input: {
    readonly providerCustomerId: string;
    readonly methods: readonly PaymentMethodType[];
    readonly successUrl: string | null;
    readonly currency: CurrencyCode | null;
    readonly expiresAt: Date;
  },
): GatewayResult<{ readonly url: string; readonly providerSessionId: string; readonly expiresAt: Date }> {
  const methods = [...new Set(input.methods)].filter((m) => SETUP_CAPABLE.has(m));
  if (methods.length === 0) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: 'None of the payment methods can be saved through a setup Checkout Session.',
    });
  }
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'setup',
    customer: input.providerCustomerId,
    allowed_payment_method_types: methods as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
  };
  // Asking for the full day is leaving `expires_at` out: Stripe then expires the session exactly
  // 24 h after creation by its own clock, where an explicit value could cross its limit.
  if (input.expiresAt.getTime() < Date.now() + STRIPE_DEFAULT_LIFETIME_MS - CLOCK_SLACK_MS) {
    params.expires_at = Math.floor(input.expiresAt.getTime() / 1000);
  }
  // Bank debits are single-currency, and setup mode picks eligible methods by currency.
  if (needsCurrency(methods)) {
    const currency = input.currency ?? impliedCurrency(methods);
    if (currency) params.currency = currency.toLowerCase();
  }
  if (input.successUrl !== null) params.success_url = input.successUrl;
  const created = await callStripe(ctx.retry, () => ctx.stripe.checkout.sessions.create(params));
  if (!created.ok) return created;
  const session = created.value;
  if (!session.url) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: `Stripe created Checkout Session ${session.id} without a hosted URL.`,
    });
  }
  return ok({
    url: session.url,
    providerSessionId: session.id,
    expiresAt: new Date(session.expires_at * 1000),
  });
}
