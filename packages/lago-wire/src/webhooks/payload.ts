import { assertNever, type OutgoingEvent } from '@payrail/domain';
import type { LagoCreditNote } from '../credit-note.js';
import type { LagoCustomer } from '../customer.js';
import type { LagoInvoice, LagoInvoiceExtended } from '../invoice.js';
import type { LagoPayment } from '../payment.js';
import type { LagoPaymentRequest } from '../payment-request.js';

/**
 * Events about a whole object carry only its id; the sender loads and serializes the object
 * (like Lago's serializers at send time). This says which one to load.
 */
export type WebhookObjectNeed =
  | { readonly kind: 'invoice'; readonly id: string }
  | { readonly kind: 'customer'; readonly id: string }
  | { readonly kind: 'payment'; readonly id: string }
  | { readonly kind: 'credit_note'; readonly id: string }
  | { readonly kind: 'payment_request'; readonly id: string }
  | null;

export interface RenderedObjects {
  /** With `customer` and `fees` (Lago's InvoiceObjectExtended). */
  readonly invoice?: LagoInvoiceExtended;
  readonly customer?: LagoCustomer;
  readonly payment?: LagoPayment;
  readonly creditNote?: LagoCreditNote;
  readonly paymentRequest?: LagoPaymentRequest;
}

/** `{webhook_type, object_type, organization_id, [object_type]: {...}}`. */
export type LagoWebhookPayload = {
  readonly webhook_type: string;
  readonly object_type: string;
  readonly organization_id: string;
} & Readonly<Record<string, unknown>>;

export function webhookObjectNeed(event: OutgoingEvent): WebhookObjectNeed {
  switch (event.type) {
    case 'invoice.one_off_created':
    case 'invoice.payment_status_updated':
    case 'invoice.voided':
    case 'invoice.payment_dispute_lost':
      return { kind: 'invoice', id: event.data.lago_invoice_id };
    case 'customer.created':
    case 'customer.updated':
    case 'customer.payment_provider_created':
      return { kind: 'customer', id: event.data.lago_customer_id };
    case 'payment.succeeded':
    case 'payment.requires_action':
      return { kind: 'payment', id: event.data.lago_payment_id };
    case 'credit_note.created':
      return { kind: 'credit_note', id: event.data.lago_credit_note_id };
    case 'payment_request.created':
    case 'payment_request.payment_status_updated':
      return { kind: 'payment_request', id: event.data.lago_payment_request_id };
    case 'invoice.payment_failure':
    case 'payment_request.payment_failure':
    case 'customer.payment_provider_error':
    case 'customer.checkout_url_generated':
    case 'payment_provider.error':
    case 'credit_note.refund_failure':
      return null;
    default:
      return assertNever(event, 'event');
  }
}

function need<T>(value: T | undefined, what: string, event: OutgoingEvent): T {
  if (value === undefined) {
    throw new TypeError(`webhook ${event.type} (${event.id}) needs the rendered ${what}`);
  }
  return value;
}

/** The list-shaped invoice (no fees) that lago-api nests in `payment_dispute_lost`. */
function withoutDetails(invoice: LagoInvoiceExtended): LagoInvoice {
  const {
    fees: _fees,
    credits: _credits,
    subscriptions: _subscriptions,
    billing_periods: _periods,
    applied_usage_thresholds: _thresholds,
    error_details: _errors,
    ...base
  } = invoice;
  return base;
}

function objectOf(event: OutgoingEvent, objects: RenderedObjects): unknown {
  switch (event.type) {
    case 'invoice.one_off_created':
    case 'invoice.payment_status_updated':
    case 'invoice.voided':
      return need(objects.invoice, 'invoice', event);
    case 'invoice.payment_dispute_lost': {
      const invoice = withoutDetails(need(objects.invoice, 'invoice', event));
      const reason = event.data.provider_error;
      return reason ? { invoice, provider_error: reason } : { invoice };
    }
    case 'customer.created':
    case 'customer.updated':
    case 'customer.payment_provider_created':
      return need(objects.customer, 'customer', event);
    case 'payment.succeeded':
      return need(objects.payment, 'payment', event);
    case 'payment.requires_action':
      return { ...need(objects.payment, 'payment', event), next_action: event.data.next_action };
    case 'credit_note.created':
      return need(objects.creditNote, 'credit note', event);
    case 'payment_request.created':
    case 'payment_request.payment_status_updated':
      return need(objects.paymentRequest, 'payment request', event);
    case 'invoice.payment_failure':
    case 'payment_request.payment_failure':
    case 'customer.payment_provider_error':
    case 'customer.checkout_url_generated':
    case 'payment_provider.error':
    case 'credit_note.refund_failure':
      return event.data;
    default:
      return assertNever(event, 'event');
  }
}

export function buildWebhookPayload(event: OutgoingEvent, objects: RenderedObjects = {}): LagoWebhookPayload {
  return {
    webhook_type: event.type,
    object_type: event.objectType,
    organization_id: event.organizationId,
    [event.objectType]: objectOf(event, objects),
  };
}

/** The exact bytes that are sent and signed: compact JSON, like Ruby's `to_json`. */
export function webhookBody(payload: LagoWebhookPayload): string {
  return JSON.stringify(payload);
}
