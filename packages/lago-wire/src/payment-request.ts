import type { CreatePaymentRequestInput, Invoice, PaymentRequest } from '@payrail/domain';
import { z } from 'zod';
import { CustomerSchema, type LagoCustomer } from './customer.js';
import { InvoiceSchema, serializeInvoice } from './invoice.js';
import { isoSeconds } from './time.js';

/** Lago's `PaymentRequestObject`: the customer (base object) and its invoices (list-shaped). */
export const PaymentRequestSchema = z
  .looseObject({
    lago_id: z.uuid(),
    email: z.string().nullable(),
    amount_cents: z.number().int(),
    amount_currency: z.string(),
    payment_status: z.enum(['pending', 'succeeded', 'failed']),
    created_at: z.string(),
    customer: CustomerSchema,
    invoices: z.array(InvoiceSchema),
  })
  .meta({ id: 'PaymentRequestObject' });
export type LagoPaymentRequest = z.output<typeof PaymentRequestSchema>;
export type LagoPaymentRequestStatus = LagoPaymentRequest['payment_status'];

export interface PaymentRequestRefs {
  readonly customer: LagoCustomer;
  /** The request's invoices, in any order; rendered in the request's order. */
  readonly invoices: readonly Invoice[];
  readonly documentNumberPrefix: string;
}

/** Lago's payment-failure webhook object for a payment request. */
export interface LagoPaymentRequestPaymentError {
  readonly lago_payment_request_id: string;
  readonly lago_invoice_ids: readonly string[];
  readonly lago_customer_id: string;
  readonly external_customer_id: string;
  readonly provider_customer_id: string | null;
  readonly payment_provider: 'stripe' | null;
  readonly payment_provider_code: string | null;
  readonly provider_error: { readonly message: string; readonly error_code: string | null } | null;
}

export function serializePaymentRequest(
  request: PaymentRequest,
  refs: PaymentRequestRefs,
): LagoPaymentRequest {
  const byId = new Map(refs.invoices.map((invoice) => [invoice.id, invoice]));
  const invoices = request.items.flatMap((item) => {
    const invoice = byId.get(item.invoiceId);
    return invoice
      ? [
          serializeInvoice(invoice, {
            customer: refs.customer,
            documentNumberPrefix: refs.documentNumberPrefix,
          }),
        ]
      : [];
  });
  return {
    lago_id: request.id,
    email: request.email,
    amount_cents: request.amountCents,
    amount_currency: request.currency,
    payment_status: request.paymentStatus,
    created_at: isoSeconds(request.createdAt),
    customer: refs.customer,
    invoices,
  };
}

/**
 * `payment_request` of `POST /payment_requests`, as `createPaymentRequest` takes it. The invoice ids
 * are as sent (lower case): the API answers one that is not a UUID as an unknown invoice.
 */
export const PaymentRequestCreateInput = z
  .object({
    external_customer_id: z.string().min(1).max(255),
    email: z.string().max(255).nullable().optional().meta({
      description: "Where the request goes; the customer's email when absent.",
    }),
    lago_invoice_ids: z.array(z.string().max(64)).min(1).max(100),
    payment_method: z
      .looseObject({ payment_method_type: z.string().optional(), payment_method_id: z.string().optional() })
      .nullable()
      .optional()
      .meta({ description: "Accepted for Lago's 1.53 client; the customer's default method is charged." }),
  })
  .meta({ id: 'PaymentRequestCreateInput' })
  .transform(
    (body): Omit<CreatePaymentRequestInput, 'organizationId'> => ({
      externalCustomerId: body.external_customer_id,
      email: body.email ?? null,
      invoiceIds: body.lago_invoice_ids.map((id) => id.toLowerCase()),
    }),
  );

/** `GET /payment_requests`'s filters, as the list query takes them. */
export const PaymentRequestListQuery = z
  .object({
    external_customer_id: z.string().max(255).optional(),
    payment_status: z.enum(['pending', 'succeeded', 'failed']).optional(),
    currency: z.string().max(3).optional(),
  })
  .transform((q) => ({
    externalCustomerId: q.external_customer_id,
    paymentStatus: q.payment_status,
    currency: q.currency,
  }));
