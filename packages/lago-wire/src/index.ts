export {
  AddOnCreateInput,
  AddOnSchema,
  AddOnUpdateInput,
  type LagoAddOn,
  serializeAddOn,
} from './add-on.js';
export {
  CreditNoteCreateInput,
  CreditNoteItemSchema,
  CreditNoteListQuery,
  type CreditNoteRefs,
  CreditNoteSchema,
  type LagoCreditNote,
  type LagoCreditNoteItem,
  serializeCreditNote,
} from './credit-note.js';
export {
  AddressFields,
  BillingConfigurationSchema,
  CheckoutUrlSchema,
  CustomerEnvelope,
  CustomerInput,
  CustomerListQuery,
  type CustomerRefs,
  CustomerSchema,
  type CustomerUpsertFields,
  customerSlug,
  type LagoAddress,
  type LagoBillingConfiguration,
  type LagoCheckoutUrl,
  type LagoCustomer,
  type LagoCustomerExtended,
  serializeBillingConfiguration,
  serializeCheckoutUrl,
  serializeCustomer,
  serializeCustomerExtended,
} from './customer.js';
export { majorUnits, preciseCents } from './decimal.js';
export {
  badRequest,
  conflictBody,
  internalError,
  type LagoErrorBody,
  type LagoErrorStatus,
  lagoErrorFromDomain,
  missingRootKey,
  notAllowedBody,
  notFoundBody,
  payloadTooLarge,
  unauthorized,
  validationErrors,
} from './errors.js';
export {
  FeeSchema,
  InvoiceCreateInput,
  InvoiceExtendedSchema,
  InvoiceListQuery,
  InvoicePaymentDetailsSchema,
  type InvoiceRefs,
  InvoiceRetryPaymentInput,
  InvoiceSchema,
  InvoiceUpdateInput,
  InvoiceVoidInput,
  type LagoFee,
  type LagoFeePaymentStatus,
  type LagoInvoice,
  type LagoInvoiceExtended,
  type LagoInvoiceMetadata,
  type LagoInvoicePaymentDetails,
  type LagoInvoiceStatus,
  PAYMENT_WAITING_REASONS,
  serializeFee,
  serializeInvoice,
  serializeInvoiceExtended,
  serializeInvoicePaymentDetails,
} from './invoice.js';
export {
  type LagoOrganization,
  OrganizationSchema,
  OrganizationUpdateInput,
  serializeOrganization,
} from './organization.js';
export {
  DEFAULT_PER_PAGE,
  type LagoPaginationMeta,
  type PageRequest,
  PaginationMetaSchema,
  paginationMeta,
} from './pagination.js';
export {
  type LagoPayment,
  type LagoPaymentStatus,
  lagoPaymentStatus,
  PaymentCreateInput,
  PaymentListQuery,
  type PaymentRefs,
  PaymentSchema,
  serializeManualPayment,
  serializePayment,
} from './payment.js';
export {
  type LagoPaymentMethod,
  type PaymentMethodRefs,
  PaymentMethodSchema,
  serializePaymentMethod,
} from './payment-method.js';
export {
  type LagoPaymentRequest,
  type LagoPaymentRequestPaymentError,
  type LagoPaymentRequestStatus,
  PaymentRequestCreateInput,
  PaymentRequestListQuery,
  type PaymentRequestRefs,
  PaymentRequestSchema,
  serializePaymentRequest,
} from './payment-request.js';
export {
  booleanString,
  cents,
  centsString,
  dateString,
  emptyList,
  nullableString,
  scalarOrArray,
  timestamp,
} from './schema.js';
export {
  StripeConnectionCreateInput,
  StripeConnectionSchema,
  StripeConnectionUpdateInput,
  serializeStripeConnection,
  type WireStripeConnection,
} from './stripe-connection.js';
export { isoDate, isoSeconds, isoSecondsOrNull } from './time.js';
export {
  type LagoWebhookDelivery,
  type LagoWebhookRedelivery,
  serializeWebhookDelivery,
  serializeWebhookRedelivery,
  type WebhookDeliveryAttempt,
  WebhookDeliveryListQuery,
  WebhookDeliverySchema,
  WebhookRedeliverySchema,
} from './webhook-delivery.js';
export {
  isWebhookUrl,
  type LagoWebhookEndpoint,
  type SignatureAlgo,
  serializeWebhookEndpoint,
  WebhookEndpointCreateInput,
  type WebhookEndpointFields,
  type WebhookEndpointRecord,
  WebhookEndpointSchema,
  WebhookEndpointUpdateInput,
} from './webhook-endpoint.js';
export { DELIVERY_FAILURES, type DeliveryFailure } from './webhooks/delivery.js';
export {
  buildWebhookPayload,
  type LagoWebhookPayload,
  type RenderedObjects,
  type WebhookObjectNeed,
  webhookBody,
  webhookObjectNeed,
} from './webhooks/payload.js';
export { signHmac, signJwt, type WebhookSigningInput, webhookHeaders } from './webhooks/signature.js';
export { WEBHOOK_SIGNING_KEY_VARIABLE, WebhookSigningKey } from './webhooks/signing-key.js';
export {
  type AddressClass,
  addressAllowed,
  checkWebhookTarget,
  classifyAddress,
  PRIVATE_TARGETS_VARIABLE,
  type PrivateTargetKind,
  parsePrivateTargets,
  type ResolvedAddress,
  type Resolver,
  type WebhookTarget,
} from './webhooks/target.js';
