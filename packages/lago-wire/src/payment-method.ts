import type { PaymentMethod } from '@payrail/domain';
import { z } from 'zod';
import { nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';

export const PaymentMethodSchema = z
  .looseObject({
    lago_id: z.uuid(),
    is_default: z.boolean(),
    payment_provider_code: nullableString,
    payment_provider_name: nullableString,
    payment_provider_type: z.literal('stripe'),
    provider_method_id: z.string(),
    created_at: timestamp,
  })
  .meta({ id: 'PaymentMethodObject' });
export type LagoPaymentMethod = z.output<typeof PaymentMethodSchema>;

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
