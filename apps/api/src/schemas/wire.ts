import { z } from '@hono/zod-openapi';
import type { PaymentWaitReason } from '@payrail/domain';
import { CustomerSchema, PAYMENT_WAITING_REASONS } from '@payrail/lago-wire';
import { PaginationMetaSchema } from './common.js';

/**
 * Response shapes for the OpenAPI document. The bodies themselves come from @payrail/lago-wire;
 * these list the main keys (every documented key is always present, null when empty).
 */
const ts = z.string().openapi({ example: '2026-11-26T10:11:12Z' });
const nullableString = z.string().nullable();
/** Lists Lago returns that Payrail always leaves empty (taxes, integrations, custom sections). */
const emptyList = z.array(z.unknown());

export const FeeSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_charge_id: nullableString,
    lago_charge_filter_id: nullableString,
    lago_invoice_id: z.uuid(),
    lago_true_up_fee_id: nullableString,
    lago_true_up_parent_fee_id: nullableString,
    lago_subscription_id: nullableString,
    lago_customer_id: z.uuid(),
    external_customer_id: z.string(),
    external_subscription_id: nullableString,
    amount_cents: z.number().int(),
    precise_amount: z.string(),
    precise_total_amount: z.string(),
    amount_currency: z.string(),
    taxes_amount_cents: z.number().int(),
    taxes_precise_amount: z.string(),
    taxes_rate: z.number(),
    units: z.string(),
    precise_unit_amount: z.string(),
    total_aggregated_units: z.string(),
    total_amount_cents: z.number().int(),
    total_amount_currency: z.string(),
    events_count: z.number().int().nullable(),
    pay_in_advance: z.boolean(),
    invoiceable: z.boolean(),
    from_date: ts.nullable(),
    to_date: ts.nullable(),
    payment_status: z.enum(['pending', 'succeeded', 'failed', 'refunded']),
    created_at: ts,
    succeeded_at: ts.nullable(),
    failed_at: ts.nullable(),
    refunded_at: ts.nullable(),
    event_transaction_id: nullableString,
    description: nullableString,
    sub_total_excluding_taxes_amount_cents: z.number().int(),
    sub_total_excluding_taxes_precise_amount_cents: z.string(),
    self_billed: z.boolean(),
    item: z.looseObject({
      type: z.literal('add_on'),
      code: z.string(),
      name: z.string(),
      description: nullableString,
      invoice_display_name: nullableString,
      filter_invoice_display_name: nullableString,
      filters: z.record(z.string(), z.unknown()).nullable(),
      lago_item_id: z.uuid(),
      item_type: z.literal('AddOn'),
      grouped_by: z.record(z.string(), z.string()),
    }),
    applied_taxes: emptyList,
  })
  .openapi('FeeObject');

export const InvoiceSchema = z
  .looseObject({
    lago_id: z.uuid(),
    billing_entity_code: nullableString,
    sequential_id: z.number().int().nullable(),
    number: z.string(),
    purchase_order_number: nullableString,
    issuing_date: z.string(),
    payment_dispute_lost_at: ts.nullable(),
    payment_due_date: z.string().nullable(),
    payment_overdue: z.boolean(),
    net_payment_term: z.number().int(),
    invoice_type: z.literal('one_off'),
    status: z.enum(['draft', 'finalized', 'voided']),
    payment_status: z.enum(['pending', 'succeeded', 'failed']),
    currency: z.string(),
    fees_amount_cents: z.number().int(),
    coupons_amount_cents: z.number().int(),
    credit_notes_amount_cents: z.number().int(),
    sub_total_excluding_taxes_amount_cents: z.number().int(),
    taxes_amount_cents: z.number().int(),
    sub_total_including_taxes_amount_cents: z.number().int(),
    prepaid_credit_amount_cents: z.number().int(),
    prepaid_granted_credit_amount_cents: z.number().int().nullable(),
    prepaid_purchased_credit_amount_cents: z.number().int().nullable(),
    progressive_billing_credit_amount_cents: z.number().int(),
    total_amount_cents: z.number().int(),
    total_paid_amount_cents: z.number().int(),
    total_offsetted_credit_note_amount_cents: z.number().int(),
    total_due_amount_cents: z.number().int(),
    version_number: z.number().int(),
    self_billed: z.boolean(),
    file_url: nullableString,
    xml_url: nullableString,
    web_url: nullableString,
    voided_at: ts.nullable(),
    payment_waiting_reason: z
      .enum(PAYMENT_WAITING_REASONS as [PaymentWaitReason, ...PaymentWaitReason[]])
      .nullable()
      .openapi({
        description:
          "Payrail addition: why this finalized invoice is not being charged yet, null when nothing holds it back. `customer_has_no_payment_provider`: the customer is not linked to Stripe; `provider_customer_pending`: the Stripe customer is still being created; `provider_customer_error`: Stripe refused to create it; `no_payment_method`: no usable payment method saved; `amount_below_provider_minimum`: the amount due is below Stripe's minimum charge for the currency; `requires_action`: the customer must complete authentication (3-D Secure).",
      }),
    created_at: ts,
    updated_at: ts,
    customer: CustomerSchema,
    applied_taxes: emptyList,
    applied_invoice_custom_sections: emptyList,
    metadata: z.array(
      z
        .object({ lago_id: z.uuid(), key: z.string(), value: z.string(), created_at: ts })
        .openapi('InvoiceMetadataObject'),
    ),
  })
  .openapi('InvoiceObject');

export const InvoiceExtendedSchema = InvoiceSchema.extend({
  fees: z.array(FeeSchema),
  credits: emptyList,
  subscriptions: emptyList,
  billing_periods: emptyList,
  applied_usage_thresholds: emptyList,
  error_details: emptyList,
}).openapi('InvoiceObjectExtended');

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

export const InvoicePaymentDetailsSchema = z
  .object({
    lago_customer_id: z.uuid(),
    lago_invoice_id: z.uuid(),
    external_customer_id: z.string(),
    payment_provider: z.literal('stripe'),
    payment_url: z.string(),
    expires_at: z.string().openapi({
      description: 'Payrail addition: when the page stops taking payments (24 hours after it was made).',
    }),
  })
  .openapi('InvoicePaymentUrl');

export function single<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: schema } as Record<K, T>);
}

export function paginated<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: z.array(schema), meta: PaginationMetaSchema } as Record<K | 'meta', z.ZodType>);
}
