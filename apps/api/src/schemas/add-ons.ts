import { z } from '@hono/zod-openapi';

/** Lago casts numeric strings; anything else is refused as out of range by the domain's rule. */
export const cents = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d{1,15}$/)
    .transform(Number),
]);

const fields = {
  name: z.string().max(255),
  code: z.string().max(255),
  amount_cents: cents,
  amount_currency: z.string().max(8),
  invoice_display_name: z.string().max(255).nullable().optional(),
  description: z.string().max(4096).nullable().optional(),
  tax_codes: z.array(z.string()).optional(),
};

export const AddOnCreateInput = z.object(fields).openapi('AddOnCreateInput');

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
  .openapi('AddOnUpdateInput');
