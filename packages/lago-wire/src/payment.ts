import type { CreateManualPaymentInput, ManualPayment, Payment, PaymentStatus } from '@payrail/domain';
import { assertNever } from '@payrail/domain';
import { z } from 'zod';
import { nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';

export const PaymentSchema = z
  .looseObject({
    lago_id: z.uuid(),
    lago_customer_id: z.uuid(),
    external_customer_id: z.string(),
    invoice_ids: z.array(z.uuid()),
    invoice_numbers: z.array(z.string()),
    lago_payable_id: z.uuid(),
    payable_type: z.enum(['Invoice', 'PaymentRequest']),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    /** The provider's raw status word (`requires_payment_method`, `succeeded`…). */
    status: z.string(),
    payment_status: z.enum(['succeeded', 'failed', 'pending', 'processing']),
    type: z.enum(['manual', 'provider']),
    reference: nullableString,
    payment_provider_code: nullableString,
    /** The spec's enum value, not Lago's STI class name (decision 0502); null for a manual payment. */
    payment_provider_type: z.enum(['stripe']).nullable(),
    external_payment_id: nullableString,
    provider_payment_id: nullableString,
    provider_customer_id: nullableString,
    payment_method_id: nullableString,
    next_action: z.record(z.string(), z.unknown()),
    created_at: timestamp,
  })
  .meta({ id: 'PaymentObject' });
export type LagoPayment = z.output<typeof PaymentSchema>;
export type LagoPaymentStatus = LagoPayment['payment_status'];

export interface PaymentRefs {
  readonly externalCustomerId: string;
  /** Null while the invoice is a draft (never the case for a paid one). */
  readonly invoiceNumber: string | null;
  readonly connectionCode: string | null;
  /** Our id of the charged method, when we know it. */
  readonly paymentMethodId: string | null;
  /**
   * For a payment request's attempt: every invoice it pays (ids and numbers, in the request's
   * order). Without it only the payment's own invoice is listed.
   */
  readonly paidInvoices?: { readonly ids: readonly string[]; readonly numbers: readonly string[] };
}

/** Lago folds `requires_action` into `pending`: the money is not moving yet. */
export function lagoPaymentStatus(status: PaymentStatus): LagoPaymentStatus {
  switch (status) {
    case 'pending':
    case 'requires_action':
      return 'pending';
    case 'processing':
      return 'processing';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    default:
      return assertNever(status, 'payment status');
  }
}

export function serializePayment(payment: Payment, refs: PaymentRefs): LagoPayment {
  return {
    lago_id: payment.id,
    lago_customer_id: payment.customerId,
    external_customer_id: refs.externalCustomerId,
    invoice_ids: refs.paidInvoices ? [...refs.paidInvoices.ids] : [payment.invoiceId],
    invoice_numbers: refs.paidInvoices
      ? [...refs.paidInvoices.numbers]
      : refs.invoiceNumber
        ? [refs.invoiceNumber]
        : [],
    lago_payable_id: payment.paymentRequestId ?? payment.invoiceId,
    payable_type: payment.paymentRequestId ? 'PaymentRequest' : 'Invoice',
    amount_cents: payment.amountCents,
    amount_currency: payment.currency,
    status: payment.providerStatus ?? payment.status,
    payment_status: lagoPaymentStatus(payment.status),
    type: 'provider',
    reference: null,
    payment_provider_code: refs.connectionCode,
    payment_provider_type: 'stripe',
    external_payment_id: payment.providerPaymentId,
    provider_payment_id: payment.providerPaymentId,
    provider_customer_id: payment.providerCustomerId,
    payment_method_id: refs.paymentMethodId,
    next_action: payment.status === 'requires_action' ? payment.nextAction : {},
    created_at: isoSeconds(payment.createdAt),
  };
}

/** A payment recorded by hand (`type: manual`): settled, with the caller's reference, no provider. */
export function serializeManualPayment(
  payment: ManualPayment,
  refs: Pick<PaymentRefs, 'externalCustomerId' | 'invoiceNumber'>,
): LagoPayment {
  return {
    lago_id: payment.id,
    lago_customer_id: payment.customerId,
    external_customer_id: refs.externalCustomerId,
    invoice_ids: [payment.invoiceId],
    invoice_numbers: refs.invoiceNumber ? [refs.invoiceNumber] : [],
    lago_payable_id: payment.invoiceId,
    payable_type: 'Invoice',
    amount_cents: payment.amountCents,
    amount_currency: payment.currency,
    status: 'succeeded',
    payment_status: 'succeeded',
    type: 'manual',
    reference: payment.reference,
    payment_provider_code: null,
    payment_provider_type: null,
    external_payment_id: null,
    provider_payment_id: null,
    provider_customer_id: null,
    payment_method_id: null,
    next_action: {},
    created_at: isoSeconds(payment.createdAt),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `YYYY-MM-DD` (midnight UTC) or an ISO date-time; anything else, or an impossible day, is null. */
function paidAt(value: string): Date | null {
  if (DATE.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value) ? day : null;
  }
  if (!DATE_TIME.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * `payment` of `POST /payments`, as `createManualPayment` takes it. `invoiceId` is as sent (lower
 * case): the API answers one that is not a UUID as an unknown invoice.
 */
export const PaymentCreateInput = z
  .object({
    invoice_id: z.string().max(64),
    amount_cents: z
      .unknown()
      .refine((v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0, 'invalid_value')
      .meta({ type: 'integer', minimum: 1 }),
    reference: z.string().max(255),
    paid_at: z
      .unknown()
      .refine(
        (v) => v === undefined || v === null || (typeof v === 'string' && paidAt(v) !== null),
        'invalid_date',
      )
      .optional()
      .meta({ type: 'string', description: '`YYYY-MM-DD` or an ISO 8601 date-time; defaults to now' }),
  })
  .meta({ id: 'PaymentCreateInput' })
  .transform(
    (body): Omit<CreateManualPaymentInput, 'organizationId'> => ({
      invoiceId: body.invoice_id.toLowerCase(),
      amountCents: body.amount_cents as number,
      reference: body.reference,
      paidAt: typeof body.paid_at === 'string' ? (paidAt(body.paid_at) ?? undefined) : undefined,
    }),
  );

/** `GET /payments`'s filters; `invoiceId` as sent (lower case), the API checks it is a UUID. */
export const PaymentListQuery = z
  .object({
    external_customer_id: z.string().max(255).optional(),
    invoice_id: z.string().max(64).optional(),
  })
  .transform((q) => ({ externalCustomerId: q.external_customer_id, invoiceId: q.invoice_id?.toLowerCase() }));
