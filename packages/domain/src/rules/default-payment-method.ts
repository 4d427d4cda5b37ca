import type { DefaultPaymentMethodChoice } from '../model/customer.js';
import type { PaymentMethod } from '../model/payment-method.js';

/**
 * The method to charge: the recorded default when it still exists, otherwise the newest saved
 * method, otherwise none (the invoice then waits with `no_payment_method`).
 */
export function methodToCharge(
  choice: DefaultPaymentMethodChoice | null,
  methods: readonly PaymentMethod[],
): PaymentMethod | null {
  const live = methods.filter((m) => m.deletedAt === null);
  const chosen = choice ? live.find((m) => m.id === choice.paymentMethodId) : undefined;
  if (chosen) return chosen;
  return newest(live);
}

/**
 * A newly saved method becomes the default (the guide: "the latest payment method"), a method
 * chosen by hand becomes the default, and a default chosen by hand is not displaced by recency
 * alone: only a newer explicit action (a new method, another manual choice) replaces it.
 */
export function defaultAfterNewMethod(method: PaymentMethod): DefaultPaymentMethodChoice {
  return { paymentMethodId: method.id, chosenBy: 'new_method' };
}

export function defaultAfterManualChoice(method: PaymentMethod): DefaultPaymentMethodChoice {
  return { paymentMethodId: method.id, chosenBy: 'manual' };
}

export function defaultAfterProviderChange(method: PaymentMethod): DefaultPaymentMethodChoice {
  return { paymentMethodId: method.id, chosenBy: 'provider' };
}

/** When the default goes away, the newest remaining method takes over; none left = no default. */
export function defaultAfterRemoval(
  choice: DefaultPaymentMethodChoice | null,
  removedId: string,
  remaining: readonly PaymentMethod[],
): DefaultPaymentMethodChoice | null {
  if (choice && choice.paymentMethodId !== removedId) return choice;
  const next = newest(remaining.filter((m) => m.deletedAt === null && m.id !== removedId));
  return next ? { paymentMethodId: next.id, chosenBy: 'new_method' } : null;
}

function newest(methods: readonly PaymentMethod[]): PaymentMethod | null {
  let best: PaymentMethod | null = null;
  for (const m of methods) {
    if (!best || m.createdAt.getTime() > best.createdAt.getTime()) best = m;
  }
  return best;
}
