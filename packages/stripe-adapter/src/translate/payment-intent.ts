import { type CurrencyCode, type PaymentIntentOutcome, parseCurrency } from '@payrail/domain';
import { type JsonRecord, num, rec, str } from './records.js';

/**
 * Stripe PaymentIntent status → domain outcome. `requires_confirmation` and `requires_capture`
 * never happen for our confirmed, automatically captured intents; treated as in flight, as Lago does.
 */
export function toPaymentIntentOutcome(pi: JsonRecord): PaymentIntentOutcome {
  const status = str(pi, 'status') ?? 'unknown';
  const base = {
    providerPaymentId: str(pi, 'id') ?? '',
    providerStatus: status,
    amountCents: num(pi, 'amount') ?? 0,
    currency: currencyOf(pi),
  };
  switch (status) {
    case 'succeeded':
      return { ...base, status: 'succeeded' };
    case 'processing':
    case 'requires_confirmation':
    case 'requires_capture':
      return { ...base, status: 'processing' };
    case 'requires_action':
      return { ...base, status: 'requires_action', nextAction: rec(pi, 'next_action') ?? {} };
    case 'canceled':
      return { ...base, status: 'canceled', reason: str(pi, 'cancellation_reason') };
    case 'requires_payment_method': {
      const error = rec(pi, 'last_payment_error');
      return {
        ...base,
        status: 'failed',
        code: (error && (str(error, 'code') ?? str(error, 'decline_code'))) ?? 'requires_payment_method',
        message: (error && str(error, 'message')) ?? 'The payment needs a new payment method.',
      };
    }
    default:
      // A status this adapter does not know yet: keep the invoice waiting; reconciliation re-reads it.
      return { ...base, status: 'processing' };
  }
}

export function currencyOf(record: JsonRecord): CurrencyCode {
  const raw = str(record, 'currency');
  const currency = raw ? parseCurrency(raw) : undefined;
  if (!currency) throw new TypeError(`Stripe object ${str(record, 'id')} has no valid currency`);
  return currency;
}
