import type { Id } from '../../model/common.js';
import type { StripeBillingLink } from '../../model/customer.js';
import type { PaymentMethod, PaymentMethodType } from '../../model/payment-method.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { methodToCharge } from '../../rules/default-payment-method.js';

/**
 * The saved method an off-session attempt charges, for invoices and payment requests alike: the
 * default among the customer's methods of the allowed types, else the newest; none when there is
 * none (crypto and bank transfers are never saved).
 */
export async function savedMethodToCharge(
  tx: Tx,
  customerId: Id,
  link: StripeBillingLink,
  allowedMethods: readonly PaymentMethodType[],
): Promise<PaymentMethod | null> {
  const usable = (await tx.paymentMethods.listByCustomer(customerId)).filter(
    (m) => m.type !== 'other' && allowedMethods.includes(m.type),
  );
  return methodToCharge(link.defaultPaymentMethod, usable);
}
