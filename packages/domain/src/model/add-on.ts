import type { CurrencyCode } from '../money.js';
import type { Id, Versioned } from './common.js';

export interface AddOn extends Versioned {
  readonly id: Id;
  readonly organizationId: Id;
  /** Unique per organization; the API addresses add-ons by code. */
  readonly code: string;
  readonly name: string;
  readonly invoiceDisplayName: string | null;
  readonly description: string | null;
  /** Strictly positive, in minor units. */
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  readonly deletedAt: Date | null;
}
