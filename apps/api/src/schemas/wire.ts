import { z } from '@hono/zod-openapi';
import { CustomerSchema, FeeSchema } from '@payrail/lago-wire';
import { PaginationMetaSchema } from './common.js';

/**
 * Response shapes for the OpenAPI document. The bodies themselves come from @payrail/lago-wire;
 * these list the main keys (every documented key is always present, null when empty).
 */
const ts = z.string().openapi({ example: '2026-11-26T10:11:12Z' });
const nullableString = z.string().nullable();
/** Lists Lago returns that Payrail always leaves empty. */
const emptyList = z.array(z.unknown());

export const CreditNoteSchema = z
  .looseObject({
    lago_id: z.uuid(),
    billing_entity_code: nullableString,
    sequential_id: z.number().int(),
    number: z.string(),
    lago_invoice_id: z.uuid(),
    invoice_number: z.string(),
    purchase_order_number: nullableString,
    issuing_date: z.string(),
    credit_status: z.enum(['available', 'consumed', 'voided']),
    refund_status: z.enum(['pending', 'succeeded', 'failed']).nullable(),
    reason: z.string(),
    description: nullableString,
    currency: z.string(),
    total_amount_cents: z.number().int(),
    precise_total_amount_cents: z.string(),
    taxes_amount_cents: z.number().int(),
    precise_taxes_amount_cents: z.string(),
    taxes_rate: z.number(),
    sub_total_excluding_taxes_amount_cents: z.number().int(),
    balance_amount_cents: z.number().int(),
    credit_amount_cents: z.number().int(),
    refund_amount_cents: z.number().int(),
    offset_amount_cents: z.number().int(),
    coupons_adjustment_amount_cents: z.number().int(),
    created_at: ts,
    updated_at: ts,
    file_url: nullableString,
    xml_url: nullableString,
    self_billed: z.boolean(),
    items: z.array(
      z.object({
        lago_id: z.uuid(),
        amount_cents: z.number().int(),
        amount_currency: z.string(),
        fee: FeeSchema.nullable(),
      }),
    ),
    applied_taxes: emptyList,
    error_details: emptyList,
    customer: CustomerSchema,
  })
  .openapi('CreditNoteObject');

export function single<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: schema } as Record<K, T>);
}

export function paginated<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: z.array(schema), meta: PaginationMetaSchema } as Record<K | 'meta', z.ZodType>);
}
