import type { CurrencyCode } from '../money.js';
import type { Id, Versioned } from './common.js';

/**
 * Money received outside Stripe and recorded through Lago's `POST /payments` (`type: manual`).
 * Settled when recorded; it never goes through the provider, so it has no attempt states.
 */
export interface ManualPayment extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  readonly invoiceId: Id;
  readonly customerId: Id;
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  readonly reference: string;
  readonly paidAt: Date;
}
