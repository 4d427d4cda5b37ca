import type { AddOn, CreateAddOnInput, UpdateAddOnInput } from '@payrail/domain';
import { z } from 'zod';
import { cents, emptyList, nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';

export const AddOnSchema = z
  .looseObject({
    lago_id: z.uuid(),
    name: z.string(),
    invoice_display_name: nullableString,
    code: z.string(),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    description: nullableString,
    created_at: timestamp,
    taxes: emptyList,
  })
  .meta({ id: 'AddOnObject' });
export type LagoAddOn = z.output<typeof AddOnSchema>;

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

const fields = {
  name: z.string().max(255),
  code: z.string().max(255),
  amount_cents: cents,
  amount_currency: z.string().max(8),
  invoice_display_name: z.string().max(255).nullable().optional(),
  description: z.string().max(4096).nullable().optional(),
  tax_codes: z.array(z.string()).optional(),
};

/** `add_on` of `POST /add_ons`, as `createAddOn` takes it (`tax_codes` is accepted and ignored). */
export const AddOnCreateInput = z
  .object(fields)
  .meta({ id: 'AddOnCreateInput' })
  .transform(
    (body): Omit<CreateAddOnInput, 'organizationId'> => ({
      code: body.code,
      name: body.name,
      amountCents: body.amount_cents,
      amountCurrency: body.amount_currency,
      invoiceDisplayName: body.invoice_display_name,
      description: body.description,
    }),
  );

/** `add_on` of `PUT /add_ons/{code}`: only the keys sent change; `code` renames the add-on. */
export const AddOnUpdateInput = z
  .object({
    name: fields.name.optional(),
    code: fields.code.optional(),
    amount_cents: cents.optional(),
    amount_currency: fields.amount_currency.optional(),
    invoice_display_name: fields.invoice_display_name,
    description: fields.description,
    tax_codes: fields.tax_codes,
  })
  .meta({ id: 'AddOnUpdateInput' })
  .transform(
    (body): Omit<UpdateAddOnInput, 'organizationId' | 'code'> => ({
      newCode: body.code,
      name: body.name,
      amountCents: body.amount_cents,
      amountCurrency: body.amount_currency,
      invoiceDisplayName: body.invoice_display_name,
      description: body.description,
    }),
  );
