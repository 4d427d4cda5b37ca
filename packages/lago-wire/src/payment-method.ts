import type { PaymentMethod } from '@payrail/domain';
import { isoSeconds } from './time.js';

export interface LagoPaymentMethod {
  readonly lago_id: string;
  readonly is_default: boolean;
  readonly payment_provider_code: string | null;
  readonly payment_provider_name: string | null;
  readonly payment_provider_type: 'stripe';
  readonly provider_method_id: string;
  readonly created_at: string;
}

export interface PaymentMethodRefs {
  readonly isDefault: boolean;
  readonly connectionCode: string | null;
  readonly connectionName: string | null;
}

export function serializePaymentMethod(method: PaymentMethod, refs: PaymentMethodRefs): LagoPaymentMethod {
  return {
    lago_id: method.id,
    is_default: refs.isDefault,
    payment_provider_code: refs.connectionCode,
    payment_provider_name: refs.connectionName,
    payment_provider_type: 'stripe',
    provider_method_id: method.providerPaymentMethodId,
    created_at: isoSeconds(method.createdAt),
  };
}
