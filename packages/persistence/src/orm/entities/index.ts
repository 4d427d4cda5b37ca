import { AddOnSchema } from './add-on.js';
import { CreditNoteItemSchema, CreditNoteSchema, RefundSchema } from './credit-note.js';
import { CustomerSchema, PaymentMethodSchema } from './customer.js';
import { IdempotencyRecordSchema } from './idempotency.js';
import { InboxEventSchema } from './inbox.js';
import { FeeSchema, InvoiceMetadataSchema, InvoiceSchema } from './invoice.js';
import { ManualPaymentSchema } from './manual-payment.js';
import { ApiKeySchema, OrganizationSchema } from './organization.js';
import { PaymentSchema } from './payment.js';
import { PaymentRequestSchema } from './payment-request.js';
import { SequenceSchema } from './sequence.js';
import { StripeConnectionSchema } from './stripe-connection.js';
import { UiSessionSchema } from './ui-session.js';
import { WebhookDeliverySchema, WebhookEndpointSchema, WebhookEventSchema } from './webhooks.js';

export const ENTITIES = [
  OrganizationSchema,
  ApiKeySchema,
  StripeConnectionSchema,
  CustomerSchema,
  PaymentMethodSchema,
  AddOnSchema,
  InvoiceSchema,
  FeeSchema,
  InvoiceMetadataSchema,
  PaymentSchema,
  PaymentRequestSchema,
  ManualPaymentSchema,
  CreditNoteSchema,
  CreditNoteItemSchema,
  RefundSchema,
  SequenceSchema,
  InboxEventSchema,
  WebhookEndpointSchema,
  WebhookEventSchema,
  WebhookDeliverySchema,
  IdempotencyRecordSchema,
  UiSessionSchema,
];
