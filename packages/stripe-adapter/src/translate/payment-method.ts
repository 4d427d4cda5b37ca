import { PAYMENT_METHOD_TYPES, type PaymentMethodType, type ProviderPaymentMethod } from '@payrail/domain';
import { type JsonRecord, num, rec, str } from './records.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(PAYMENT_METHOD_TYPES);

export function toProviderPaymentMethod(pm: JsonRecord): ProviderPaymentMethod {
  const type = str(pm, 'type') ?? 'other';
  const domainType = KNOWN_TYPES.has(type) ? (type as PaymentMethodType) : 'other';
  const created = num(pm, 'created');
  return {
    providerPaymentMethodId: str(pm, 'id') ?? '',
    type: domainType,
    details: detailsOf(pm, type),
    createdAt: new Date((created ?? 0) * 1000),
  };
}

function detailsOf(pm: JsonRecord, type: string): ProviderPaymentMethod['details'] {
  const hash = rec(pm, type);
  if (!hash) return null;
  if (type === 'card') {
    return {
      brand: str(hash, 'display_brand') ?? str(hash, 'brand'),
      last4: str(hash, 'last4'),
      expMonth: num(hash, 'exp_month'),
      expYear: num(hash, 'exp_year'),
    };
  }
  // Bank debits have no brand or expiry; the bank name is what people recognise.
  return { brand: str(hash, 'bank_name'), last4: str(hash, 'last4'), expMonth: null, expYear: null };
}
