import type { Id } from './model/common.js';

/**
 * Outgoing webhook events (Lago's `webhook_type` values). Events about a whole object carry its id:
 * like Lago, the worker renders the object with its serializer when it builds the payload.
 * Events with event-specific facts (errors, URLs) carry those facts in Lago's wire shape.
 */
export interface ProviderErrorPayload {
  readonly message: string;
  readonly error_code: string | null;
}

/** Lago's `error_details` on `invoice.payment_failure`: `{code, message, request_id, http_status, http_body}` or `{}`. */
export type PaymentErrorDetails = Readonly<{
  code?: string;
  message?: string;
  request_id?: string | null;
  http_status?: number | null;
  http_body?: unknown;
}>;

export interface EventCatalog {
  'invoice.one_off_created': { objectType: 'invoice'; data: { lago_invoice_id: Id } };
  'invoice.payment_status_updated': { objectType: 'invoice'; data: { lago_invoice_id: Id } };
  'invoice.voided': { objectType: 'invoice'; data: { lago_invoice_id: Id } };
  'invoice.payment_failure': {
    objectType: 'payment_provider_invoice_payment_error';
    data: {
      lago_invoice_id: Id;
      lago_customer_id: Id;
      external_customer_id: string;
      provider_customer_id: string | null;
      payment_provider: 'stripe' | null;
      payment_provider_code: string | null;
      provider_error: ProviderErrorPayload | null;
      error_details: PaymentErrorDetails;
    };
  };
  'invoice.payment_dispute_lost': {
    /** Rendered nested, as lago-api does: `{invoice: {…with customer}, provider_error?}`. */
    objectType: 'payment_dispute_lost';
    data: { lago_invoice_id: Id; provider_error: string | null };
  };
  'customer.created': { objectType: 'customer'; data: { lago_customer_id: Id } };
  'customer.updated': { objectType: 'customer'; data: { lago_customer_id: Id } };
  'customer.payment_provider_created': { objectType: 'customer'; data: { lago_customer_id: Id } };
  'customer.payment_provider_error': {
    objectType: 'payment_provider_customer_error';
    data: {
      lago_customer_id: Id;
      external_customer_id: string;
      payment_provider: 'stripe';
      payment_provider_code: string;
      provider_error: ProviderErrorPayload;
    };
  };
  'customer.checkout_url_generated': {
    objectType: 'payment_provider_customer_checkout_url';
    data: {
      lago_customer_id: Id;
      external_customer_id: string;
      payment_provider: 'stripe';
      payment_provider_code: string;
      checkout_url: string;
    };
  };
  'payment_provider.error': {
    objectType: 'payment_provider_error';
    data: {
      lago_payment_provider_id: Id;
      payment_provider_name: string;
      payment_provider_code: string;
      source: 'stripe';
      action: string | null;
      /** Lago uses `code` here, not `error_code`. */
      provider_error: { message: string; code: string | null };
    };
  };
  'payment.succeeded': { objectType: 'payment'; data: { lago_payment_id: Id } };
  'payment.requires_action': {
    objectType: 'payment';
    data: { lago_payment_id: Id; next_action: Readonly<Record<string, unknown>> };
  };
  'credit_note.created': { objectType: 'credit_note'; data: { lago_credit_note_id: Id } };
  'payment_request.created': { objectType: 'payment_request'; data: { lago_payment_request_id: Id } };
  'payment_request.payment_status_updated': {
    objectType: 'payment_request';
    data: { lago_payment_request_id: Id };
  };
  'payment_request.payment_failure': {
    objectType: 'payment_provider_payment_request_payment_error';
    data: {
      lago_payment_request_id: Id;
      lago_invoice_ids: readonly Id[];
      lago_customer_id: Id;
      external_customer_id: string;
      provider_customer_id: string | null;
      payment_provider: 'stripe' | null;
      payment_provider_code: string | null;
      provider_error: ProviderErrorPayload | null;
    };
  };
  'credit_note.refund_failure': {
    objectType: 'credit_note_payment_provider_refund_error';
    data: {
      lago_credit_note_id: Id;
      lago_customer_id: Id;
      external_customer_id: string;
      provider_customer_id: string | null;
      payment_provider: 'stripe';
      payment_provider_code: string | null;
      provider_error: ProviderErrorPayload;
    };
  };
}

export type EventType = keyof EventCatalog;

export type OutgoingEvent = {
  [K in EventType]: {
    readonly id: Id;
    readonly organizationId: Id;
    readonly occurredAt: Date;
    readonly type: K;
    readonly objectType: EventCatalog[K]['objectType'];
    readonly data: Readonly<EventCatalog[K]['data']>;
  };
}[EventType];

export type OutgoingEventOf<K extends EventType> = Extract<OutgoingEvent, { type: K }>;

export const OBJECT_TYPES: { readonly [K in EventType]: EventCatalog[K]['objectType'] } = {
  'invoice.one_off_created': 'invoice',
  'invoice.payment_status_updated': 'invoice',
  'invoice.voided': 'invoice',
  'invoice.payment_failure': 'payment_provider_invoice_payment_error',
  'invoice.payment_dispute_lost': 'payment_dispute_lost',
  'customer.created': 'customer',
  'customer.updated': 'customer',
  'customer.payment_provider_created': 'customer',
  'customer.payment_provider_error': 'payment_provider_customer_error',
  'customer.checkout_url_generated': 'payment_provider_customer_checkout_url',
  'payment_provider.error': 'payment_provider_error',
  'payment.succeeded': 'payment',
  'payment.requires_action': 'payment',
  'credit_note.created': 'credit_note',
  'payment_request.created': 'payment_request',
  'payment_request.payment_status_updated': 'payment_request',
  'payment_request.payment_failure': 'payment_provider_payment_request_payment_error',
  'credit_note.refund_failure': 'credit_note_payment_provider_refund_error',
};

export const EVENT_TYPES = Object.keys(OBJECT_TYPES) as readonly EventType[];

/** Builds a well-formed event; the object type always matches the event type. */
export function makeEvent<K extends EventType>(
  type: K,
  meta: { id: Id; organizationId: Id; occurredAt: Date },
  data: EventCatalog[K]['data'],
): OutgoingEventOf<K> {
  return { ...meta, type, objectType: OBJECT_TYPES[type], data } as unknown as OutgoingEventOf<K>;
}
