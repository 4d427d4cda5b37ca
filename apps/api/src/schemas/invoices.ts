import { z } from '@hono/zod-openapi';
import { booleanString, centsString, dateString, scalarOrArray } from './common.js';

const units = z.union([z.number(), z.string().max(32)]);

export const OneOffFeeInput = z.object({
  add_on_code: z.string().max(255),
  unit_amount_cents: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d{1,15}$/)
        .transform(Number),
    ])
    .nullable()
    .optional(),
  units: units.nullable().optional(),
  description: z.string().max(4096).nullable().optional(),
  invoice_display_name: z.string().max(255).nullable().optional(),
  /** Lago 1.51 put `skip_psp` on fees; 1.53 moved it to the invoice. Both are honoured. */
  skip_psp: z.boolean().optional(),
  tax_codes: z.array(z.string()).optional(),
});

export const InvoiceCreateInput = z
  .object({
    external_customer_id: z.string().max(255),
    currency: z.string().max(8).nullable().optional(),
    skip_psp: z.boolean().optional(),
    purchase_order_number: z.string().max(255).nullable().optional(),
    fees: z.array(OneOffFeeInput).max(500).optional(),
  })
  .openapi('InvoiceOneOffCreateInput');

export const InvoiceUpdateInput = z
  .object({
    payment_status: z.enum(['pending', 'succeeded', 'failed']).optional(),
    metadata: z
      .array(
        z.object({
          id: z.string().max(64).nullable().optional(),
          key: z.string().max(1024),
          value: z.string().max(8192),
        }),
      )
      .max(1000, 'value_is_invalid')
      .optional(),
  })
  .openapi('InvoiceUpdateInput');

export const InvoiceVoidInput = z
  .object({
    generate_credit_note: z.boolean().optional(),
    refund_amount: z.number().int().min(0).optional(),
    credit_amount: z.number().int().min(0).optional(),
  })
  .openapi('InvoiceVoidInput');

export const RetryPaymentInput = z
  .object({
    payment_method: z
      .object({
        payment_method_type: z.enum(['provider', 'manual']),
        payment_method_id: z.string().nullable().optional(),
      })
      .optional(),
  })
  .openapi('InvoiceRetryPaymentInput');

const status = z.enum(['draft', 'finalized', 'voided', 'failed', 'pending']);
const paymentStatus = z.enum(['pending', 'succeeded', 'failed']);

export const InvoiceListQuery = z.object({
  external_customer_id: z.string().optional(),
  customer_external_id: z.string().optional(),
  status: scalarOrArray(status).optional(),
  statuses: scalarOrArray(status).optional(),
  payment_status: scalarOrArray(paymentStatus).optional(),
  payment_statuses: scalarOrArray(paymentStatus).optional(),
  currency: z.string().max(8).optional(),
  issuing_date_from: dateString.optional(),
  issuing_date_to: dateString.optional(),
  amount_from: centsString.optional(),
  amount_to: centsString.optional(),
  payment_overdue: booleanString.optional(),
  payment_dispute_lost: booleanString.optional(),
  invoice_type: z
    .enum(['subscription', 'add_on', 'credit', 'one_off', 'advance_charges', 'progressive_billing'])
    .optional(),
  search_term: z.string().max(255).optional(),
});
