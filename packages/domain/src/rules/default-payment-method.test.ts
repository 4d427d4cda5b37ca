import { describe, expect, it } from 'vitest';
import type { DefaultPaymentMethodChoice } from '../model/customer.js';
import type { PaymentMethod } from '../model/payment-method.js';
import {
  defaultAfterManualChoice,
  defaultAfterNewMethod,
  defaultAfterRemoval,
  methodToCharge,
} from './default-payment-method.js';

function method(id: string, createdSecond: number, deleted = false): PaymentMethod {
  const at = new Date(createdSecond * 1000);
  return {
    id,
    organizationId: 'org',
    customerId: 'c',
    connectionId: 'conn',
    providerCustomerId: 'cus',
    providerPaymentMethodId: `pm_${id}`,
    type: 'card',
    details: null,
    deletedAt: deleted ? at : null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('default payment method', () => {
  const a = method('a', 1);
  const b = method('b', 2);
  const c = method('c', 3);

  it('no method: nothing to charge (the invoice waits)', () => {
    expect(methodToCharge(null, [])).toBeNull();
  });

  it('a newly added method becomes the default', () => {
    expect(defaultAfterNewMethod(b)).toEqual({ paymentMethodId: 'b', chosenBy: 'new_method' });
    expect(methodToCharge(defaultAfterNewMethod(b), [a, b])?.id).toBe('b');
  });

  it('a default chosen by hand among several wins over the most recent', () => {
    const choice = defaultAfterManualChoice(a);
    expect(methodToCharge(choice, [c, b, a])?.id).toBe('a');
  });

  it('without a recorded default the most recent method is charged', () => {
    expect(methodToCharge(null, [a, c, b])?.id).toBe('c');
  });

  it('a default that was removed falls back to the most recent live method', () => {
    expect(methodToCharge({ paymentMethodId: 'x', chosenBy: 'manual' }, [a, b])?.id).toBe('b');
    expect(methodToCharge(null, [a, method('z', 9, true)])?.id).toBe('a');
  });

  it.each<
    [string, DefaultPaymentMethodChoice | null, string, PaymentMethod[], DefaultPaymentMethodChoice | null]
  >([
    [
      'another method removed: default kept',
      { paymentMethodId: 'a', chosenBy: 'manual' },
      'b',
      [a, b],
      { paymentMethodId: 'a', chosenBy: 'manual' },
    ],
    [
      'default removed: newest remaining',
      { paymentMethodId: 'c', chosenBy: 'manual' },
      'c',
      [a, b, c],
      { paymentMethodId: 'b', chosenBy: 'new_method' },
    ],
    ['last method removed: no default', { paymentMethodId: 'a', chosenBy: 'new_method' }, 'a', [a], null],
  ])('%s', (_name, choice, removed, remaining, expected) => {
    expect(defaultAfterRemoval(choice, removed, remaining)).toEqual(expected);
  });
});
