import {
  type GatewayError,
  type GatewayResult,
  type Id,
  type InboundStripeCommand,
  ok,
  type ProviderPaymentMethod,
  type Result,
  type StripeCommand,
} from '@payrail/domain';
import type { StripeWebhookEvent } from '../webhooks/event.js';
import { toPaymentIntentOutcome } from './payment-intent.js';
import { toProviderPaymentMethod } from './payment-method.js';
import { idOf, isRecord, type JsonRecord, rec, str, stringMap } from './records.js';
import { toRefundOutcome } from './refund.js';

/** Events name payment methods by id; the translator reads their details from Stripe. */
export interface PaymentMethodReader {
  retrievePaymentMethod(input: {
    readonly providerPaymentMethodId: string;
  }): GatewayResult<ProviderPaymentMethod | null>;
  getDefaultPaymentMethod(input: {
    readonly providerCustomerId: string;
  }): GatewayResult<ProviderPaymentMethod | null>;
}

export interface StripeEventSource {
  /** The inbox row's organization and connection: the event itself does not carry ours. */
  readonly organizationId: Id;
  readonly connectionId: Id;
  /** Usually `factory.forConnection(credentials)` for that same connection. */
  readonly paymentMethods: PaymentMethodReader;
}

/**
 * Stripe event → domain command; events we do not act on become an explicit `ignored`. The only
 * error is a failed payment-method read, which is worth retrying exactly like any gateway call.
 */
export async function translateStripeEvent(
  event: StripeWebhookEvent,
  source: StripeEventSource,
): Promise<Result<InboundStripeCommand, GatewayError>> {
  const command = await commandFor(event, source.paymentMethods);
  if (!command.ok) return command;
  return ok({
    organizationId: source.organizationId,
    connectionId: source.connectionId,
    providerEventId: event.id,
    occurredAt: new Date(event.created * 1000),
    command: command.value,
  });
}

type CommandResult = Result<StripeCommand, GatewayError>;

async function commandFor(event: StripeWebhookEvent, reader: PaymentMethodReader): Promise<CommandResult> {
  const object = event.data.object;
  switch (event.type) {
    case 'setup_intent.succeeded':
      return setupSucceeded(object, reader);
    case 'customer.updated':
      return customerUpdated(object, event.data.previousAttributes, reader);
    case 'payment_method.detached':
      return ok(paymentMethodDetached(object, event.data.previousAttributes));
    case 'payment_intent.succeeded':
    case 'payment_intent.processing':
    case 'payment_intent.payment_failed':
    case 'payment_intent.requires_action':
    case 'payment_intent.canceled':
      return ok(paymentIntentOutcome(object));
    case 'checkout.session.completed':
    case 'checkout.session.expired':
      return ok(paymentCheckoutChanged(object));
    case 'charge.dispute.closed':
      return ok(disputeClosed(object, event.created));
    case 'charge.refund.updated':
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed':
      return ok(refundOutcome(object));
    default:
      return ok(ignored(`event type ${event.type} is not handled`));
  }
}

function ignored(reason: string): StripeCommand {
  return { kind: 'ignored', reason };
}

async function setupSucceeded(setupIntent: JsonRecord, reader: PaymentMethodReader): Promise<CommandResult> {
  const providerCustomerId = idOf(setupIntent, 'customer');
  if (!providerCustomerId) return ok(ignored('setup intent has no customer'));
  const paymentMethod = await resolvePaymentMethod(setupIntent.payment_method, reader);
  if (!paymentMethod.ok) return paymentMethod;
  if (!paymentMethod.value) return ok(ignored('the saved payment method is no longer attached'));
  return ok({ kind: 'setup_succeeded', providerCustomerId, paymentMethod: paymentMethod.value });
}

async function customerUpdated(
  customer: JsonRecord,
  previous: JsonRecord | null,
  reader: PaymentMethodReader,
): Promise<CommandResult> {
  const providerCustomerId = str(customer, 'id');
  if (!providerCustomerId) return ok(ignored('customer event without a customer id'));
  const previousSettings = previous && rec(previous, 'invoice_settings');
  if (previous && !(previousSettings && 'default_payment_method' in previousSettings)) {
    return ok(ignored('the default payment method did not change'));
  }
  // The snapshot says the default changed; which method is the default now is read from Stripe,
  // so an event that arrives late (after a later choice) cannot bring back an older default.
  const paymentMethod = await reader.getDefaultPaymentMethod({ providerCustomerId });
  if (!paymentMethod.ok) return paymentMethod;
  return ok({
    kind: 'customer_default_payment_method_changed',
    providerCustomerId,
    paymentMethod: paymentMethod.value,
  });
}

async function resolvePaymentMethod(
  ref: unknown,
  reader: PaymentMethodReader,
): Promise<Result<ProviderPaymentMethod | null, GatewayError>> {
  if (isRecord(ref)) return ok(ref.customer ? toProviderPaymentMethod(ref) : null);
  if (typeof ref !== 'string' || ref === '') return ok(null);
  return reader.retrievePaymentMethod({ providerPaymentMethodId: ref });
}

function paymentMethodDetached(pm: JsonRecord, previous: JsonRecord | null): StripeCommand {
  const providerPaymentMethodId = str(pm, 'id');
  if (!providerPaymentMethodId) return ignored('payment method event without an id');
  return {
    kind: 'payment_method_detached',
    providerCustomerId: idOf(pm, 'customer') ?? (previous && idOf(previous, 'customer')),
    providerPaymentMethodId,
  };
}

function paymentIntentOutcome(pi: JsonRecord): StripeCommand {
  if (!str(pi, 'id')) return ignored('payment intent event without an id');
  const metadata = stringMap(pi, 'metadata');
  const outcome = toPaymentIntentOutcome(pi);
  // The off-session refusal is not the attempt's end: the adapter confirms the same intent
  // on-session right after (see createPaymentIntent), so this event may even arrive after it.
  if (outcome.status === 'failed' && outcome.code === 'authentication_required') {
    return ignored('off-session authentication refusal; the intent is confirmed again on-session');
  }
  return {
    kind: 'payment_intent_outcome',
    lagoPaymentId: metadata.lago_payment_id ?? null,
    lagoInvoiceId: metadata.lago_invoice_id ?? null,
    outcome,
  };
}

/** Only payment pages Payrail made (a payment link) carry our attempt's id; setup pages are the setup intent's business. */
function paymentCheckoutChanged(session: JsonRecord): StripeCommand {
  const providerSessionId = str(session, 'id');
  if (!providerSessionId) return ignored('checkout session event without an id');
  if (str(session, 'mode') !== 'payment') return ignored(`checkout session in ${str(session, 'mode')} mode`);
  const lagoPaymentId = stringMap(session, 'metadata').lago_payment_id;
  if (!lagoPaymentId) return ignored('checkout session Payrail did not create');
  return { kind: 'payment_checkout_changed', lagoPaymentId, providerSessionId };
}

function disputeClosed(dispute: JsonRecord, created: number): StripeCommand {
  const providerPaymentId = idOf(dispute, 'payment_intent');
  if (!providerPaymentId) return ignored('dispute on a charge without a payment intent');
  const status = str(dispute, 'status');
  return {
    kind: 'dispute_closed',
    providerPaymentId,
    result: status === 'lost' ? 'lost' : status === 'won' ? 'won' : 'other',
    reason: str(dispute, 'reason'),
    closedAt: new Date(created * 1000),
  };
}

function refundOutcome(refund: JsonRecord): StripeCommand {
  if (!str(refund, 'id') || !idOf(refund, 'payment_intent')) {
    return ignored('refund without a payment intent');
  }
  return {
    kind: 'refund_outcome',
    lagoCreditNoteId: stringMap(refund, 'metadata').lago_credit_note_id ?? null,
    outcome: toRefundOutcome(refund),
  };
}
