import type { Invoice, PaymentRequest } from '@payrail/domain';
import type { LagoCustomer } from './customer.js';
import { type LagoInvoice, serializeInvoice } from './invoice.js';
import { isoSeconds } from './time.js';

export type LagoPaymentRequestStatus = 'pending' | 'succeeded' | 'failed';

/** Lago's `PaymentRequestObject`: the customer (base object) and its invoices (list-shaped). */
export interface LagoPaymentRequest {
  readonly lago_id: string;
  readonly email: string | null;
  readonly amount_cents: number;
  readonly amount_currency: string;
  readonly payment_status: LagoPaymentRequestStatus;
  readonly created_at: string;
  readonly customer: LagoCustomer;
  readonly invoices: readonly LagoInvoice[];
}

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
