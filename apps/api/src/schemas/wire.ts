import { z } from '@hono/zod-openapi';
import type { PaymentWaitReason } from '@payrail/domain';
import { PAYMENT_WAITING_REASONS } from '@payrail/lago-wire';
import { PaginationMetaSchema } from './common.js';

/**
 * Response shapes for the OpenAPI document. The bodies themselves come from @payrail/lago-wire;
 * these list the main keys (every documented key is always present, null when empty).
 */
const ts = z.string().openapi({ example: '2026-11-26T10:11:12Z' });
const nullableString = z.string().nullable();

export const BillingConfigurationSchema = z
  .looseObject({
    payment_provider: z.enum(['stripe']).nullable(),
    payment_provider_code: nullableString,
    provider_customer_id: nullableString,
    sync_with_provider: z.boolean().nullable(),
    provider_payment_methods: z.array(z.string()).nullable(),
  })
  .openapi('CustomerBillingConfiguration');

export const CustomerSchema = z
  .looseObject({
    lago_id: z.uuid(),
    sequential_id: z.number().int(),
    slug: z.string(),
    external_id: z.string(),
    name: nullableString,
    email: nullableString,
    currency: nullableString,
    created_at: ts,
    updated_at: ts,
    billing_configuration: BillingConfigurationSchema,
  })
  .openapi('CustomerObject');

export const FeeSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_invoice_id: z.uuid(),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    units: z.string(),
    payment_status: z.enum(['pending', 'succeeded', 'failed', 'refunded']),
    item: z.looseObject({ type: z.literal('add_on'), code: z.string(), lago_item_id: z.uuid() }),
  })
  .openapi('FeeObject');

export const InvoiceSchema = z
  .looseObject({
    lago_id: z.uuid(),
    sequential_id: z.number().int().nullable(),
    number: z.string(),
    issuing_date: z.string(),
    invoice_type: z.literal('one_off'),
    status: z.enum(['draft', 'finalized', 'voided']),
    payment_status: z.enum(['pending', 'succeeded', 'failed']),
    currency: z.string(),
    total_amount_cents: z.number().int(),
    total_paid_amount_cents: z.number().int(),
    total_due_amount_cents: z.number().int(),
    voided_at: ts.nullable(),
    payment_dispute_lost_at: ts.nullable(),
    payment_waiting_reason: z
      .enum(PAYMENT_WAITING_REASONS as [PaymentWaitReason, ...PaymentWaitReason[]])
      .nullable()
      .openapi({
        description:
          "Payrail addition: why this finalized invoice is not being charged yet, null when nothing holds it back. `customer_has_no_payment_provider`: the customer is not linked to Stripe; `provider_customer_pending`: the Stripe customer is still being created; `provider_customer_error`: Stripe refused to create it; `no_payment_method`: no usable payment method saved; `amount_below_provider_minimum`: the amount due is below Stripe's minimum charge for the currency; `requires_action`: the customer must complete authentication (3-D Secure).",
      }),
    created_at: ts,
    customer: CustomerSchema,
    metadata: z.array(
      z
        .object({ lago_id: z.uuid(), key: z.string(), value: z.string(), created_at: ts })
        .openapi('InvoiceMetadataObject'),
    ),
  })
  .openapi('InvoiceObject');

export const InvoiceExtendedSchema = InvoiceSchema.extend({ fees: z.array(FeeSchema) }).openapi(
  'InvoiceObjectExtended',
);

export const AddOnSchema = z
  .looseObject({
    lago_id: z.uuid(),
    name: z.string(),
    invoice_display_name: nullableString,
    code: z.string(),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    description: nullableString,
    created_at: ts,
  })
  .openapi('AddOnObject');

export const PaymentSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_customer_id: z.uuid(),
    external_customer_id: z.string(),
    invoice_ids: z.array(z.uuid()),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    status: z.string(),
    payment_status: z.enum(['succeeded', 'failed', 'pending', 'processing']),
    type: z.enum(['manual', 'provider']),
    provider_payment_id: nullableString,
    next_action: z.record(z.string(), z.unknown()),
    created_at: ts,
  })
  .openapi('PaymentObject');

export const CreditNoteSchema = z
  .looseObject({
    lago_id: z.uuid(),
    sequential_id: z.number().int(),
    number: z.string(),
    lago_invoice_id: z.uuid(),
    credit_status: z.enum(['available', 'consumed', 'voided']),
    refund_status: z.enum(['pending', 'succeeded', 'failed']).nullable(),
    reason: z.string(),
    total_amount_cents: z.number().int(),
    credit_amount_cents: z.number().int(),
    refund_amount_cents: z.number().int(),
    balance_amount_cents: z.number().int(),
    created_at: ts,
  })
  .openapi('CreditNoteObject');

export const PaymentMethodSchema = z
  .looseObject({
    lago_id: z.uuid(),
    is_default: z.boolean(),
    payment_provider_code: nullableString,
    payment_provider_type: z.literal('stripe'),
    provider_method_id: z.string(),
    created_at: ts,
  })
  .openapi('PaymentMethodObject');

export const WebhookEndpointSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_organization_id: z.uuid(),
    webhook_url: z.string(),
    signature_algo: z.enum(['jwt', 'hmac']),
    name: nullableString,
    event_types: z.array(z.string()).nullable(),
    created_at: ts,
  })
  .openapi('WebhookEndpointObject');

export const StripeConnectionSchema = z
  .object({
    lago_id: z.uuid(),
    name: z.string(),
    code: z.string(),
    success_redirect_url: nullableString,
    secret_key: z.string().openapi({ example: 'sk_test_…4242', description: 'Always masked' }),
    webhook_endpoint_id: z.string(),
    created_at: ts,
    updated_at: ts,
  })
  .openapi('StripeConnectionObject');

export const OrganizationSchema = z
  .looseObject({
    lago_id: z.uuid(),
    name: z.string(),
    webhook_url: nullableString,
    webhook_urls: z.array(z.string()),
    document_number_prefix: z.string(),
    created_at: ts,
  })
  .openapi('OrganizationObject');

export const CheckoutUrlSchema = z
  .object({
    lago_customer_id: z.uuid(),
    external_customer_id: z.string(),
    payment_provider: z.literal('stripe'),
    payment_provider_code: z.string(),
    checkout_url: z.string(),
    expires_at: z
      .string()
      .openapi({ description: 'Payrail addition: the link expires 24 hours after creation.' }),
  })
  .openapi('CustomerCheckoutUrl');

export function single<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: schema } as Record<K, T>);
}

export function paginated<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: z.array(schema), meta: PaginationMetaSchema } as Record<K | 'meta', z.ZodType>);
}
