import type { AddOn } from '@payrail/domain';
import { isoSeconds } from './time.js';

export interface LagoAddOn {
  readonly lago_id: string;
  readonly name: string;
  readonly invoice_display_name: string | null;
  readonly code: string;
  readonly amount_cents: number;
  readonly amount_currency: string;
  readonly description: string | null;
  readonly created_at: string;
  readonly taxes: readonly unknown[];
}

export function serializeAddOn(addOn: AddOn): LagoAddOn {
  return {
    lago_id: addOn.id,
    name: addOn.name,
    invoice_display_name: addOn.invoiceDisplayName,
    code: addOn.code,
    amount_cents: addOn.amountCents,
    amount_currency: addOn.currency,
    description: addOn.description,
    created_at: isoSeconds(addOn.createdAt),
    taxes: [],
  };
}
