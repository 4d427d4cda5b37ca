import { type DomainError, notFound } from '../errors.js';
import { isLinked, type LinkedStripeLink } from '../machines/billing-link.js';
import {
  amountDue,
  checkCanAttempt,
  failWithoutAttempt,
  payWithoutProvider,
  startAttempt,
  waitFor,
} from '../machines/invoice-machine.js';
import type { Customer } from '../model/customer.js';
import type { FinalizedInvoice, Invoice, PaymentWaitReason } from '../model/invoice.js';
import type { Payment, PendingPayment } from '../model/payment.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { GatewayError, PaymentGateway } from '../ports/payment-gateway.js';
import type { Tx } from '../ports/unit-of-work.js';
import { err, ok, type Result } from '../result.js';
import { isBelowProviderMinimum } from '../rules/minimum-amounts.js';
import { chargeMeans } from '../rules/payment-methods.js';
import { adoptProviderDefault } from './steps/adopt-provider-default.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import { IDEMPOTENCY_WINDOW_MS, leavesOutcomeUnknown, lookUpAttempt } from './steps/look-up-attempt.js';
import { newEvent } from './steps/new-event.js';
import type { InvoiceRef } from './steps/references.js';
import { savedMethodToCharge } from './steps/saved-method-to-charge.js';
import { type ProviderAnswer, publishPaymentFailure, settlePayment } from './steps/settle-payment.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export type CollectInvoicePaymentInput = InvoiceRef;

export type CollectionResult =
  /** Zero total: paid without the provider. */
  | { readonly outcome: 'paid_without_provider'; readonly invoice: Invoice }
  /** Nothing to do: already paid, voided, dispute lost, or an attempt is in flight. */
  | { readonly outcome: 'nothing_to_do'; readonly invoice: Invoice; readonly reason: string }
  /** The invoice waits (pending) for the recorded reason; no attempt was made. */
  | { readonly outcome: 'waiting'; readonly invoice: Invoice; readonly reason: PaymentWaitReason }
  /** Failed before any attempt (e.g. no method compatible with the currency). */
  | { readonly outcome: 'failed_without_attempt'; readonly invoice: Invoice; readonly code: string }
  /** An attempt was made; the payment carries its outcome. */
  | { readonly outcome: 'attempted'; readonly invoice: Invoice; readonly payment: Payment };

interface Charge {
  readonly kind: 'charge';
  readonly payment: PendingPayment;
  readonly invoice: FinalizedInvoice;
  readonly connection: StripeConnection;
}

type Plan =
  | { readonly kind: 'done'; readonly result: CollectionResult }
  | {
      readonly kind: 'find_method';
      readonly customer: Customer;
      readonly link: LinkedStripeLink;
      readonly connection: StripeConnection;
    }
  | Charge;

/**
 * Charges a finalized invoice what is due on it now (total less payments and offsets): one Payment
 * row per attempt, holding everything sent to the provider, committed before the provider is
 * called with idempotency key `payment-{payment id}`, and the answer applied in a second
 * transaction. A job that runs again resumes the same pending payment from that row alone, so an
 * attempt is never charged twice and never sent with other parameters. Nothing due settles the
 * invoice without the provider; a missing link or method, or an amount below the provider's
 * minimum, leaves the invoice pending with the reason.
 */
export const collectInvoicePayment: UseCase<CollectInvoicePaymentInput, CollectionResult> = async ({
  ctx,
  input,
}) => {
  let plan = await inTx(ctx, input.organizationId, (tx) => planCollection(ctx, tx, input));
  if (plan.ok && plan.value.kind === 'find_method') {
    const found = await adoptProviderDefault(ctx, plan.value);
    if (!found.ok) return found;
    plan = await inTx(ctx, input.organizationId, (tx) => planCollection(ctx, tx, input, true));
  }
  if (!plan.ok) return plan;
  const step = plan.value;
  switch (step.kind) {
    case 'done':
      return ok(step.result);
    case 'find_method':
      throw new Error('collection planned a second method lookup');
    case 'charge':
      return charge(ctx, step);
  }
};

async function planCollection(
  ctx: UseCaseContext,
  tx: Tx,
  input: CollectInvoicePaymentInput,
  methodLookupDone = false,
): Promise<Result<Plan, DomainError>> {
  const invoice = await tx.invoices.findById(input.invoiceId);
  if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
  const now = ctx.clock.now();
  const done = (result: CollectionResult): Result<Plan, DomainError> => ok({ kind: 'done', result });

  // An attempt already out is finished first, on the connection it was sent on, whatever the
  // customer's link or the connection's settings say now.
  const resumable = await resumablePayment(tx, invoice);
  if (resumable) {
    const connection = await tx.stripeConnections.findById(resumable.connectionId);
    if (!connection) return err(notFound('stripe_connection', { payment_id: resumable.id }));
    return ok({ kind: 'charge', payment: resumable, invoice: invoice as FinalizedInvoice, connection });
  }

  const attemptable = checkCanAttempt(invoice);
  if (!attemptable.ok) {
    return done({ outcome: 'nothing_to_do', invoice, reason: attemptable.error.code });
  }
  const finalized = attemptable.value;
  const due = amountDue(finalized);

  if (due === 0) {
    const paid = payWithoutProvider(finalized, now);
    if (!paid.ok) return paid;
    const stored = await tx.invoices.update(paid.value);
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'invoice.payment_status_updated', { lago_invoice_id: stored.id }),
    );
    return done({ outcome: 'paid_without_provider', invoice: stored });
  }

  const customer = await tx.customers.findById(invoice.customerId);
  if (!customer) return err(notFound('customer'));
  const wait = async (reason: PaymentWaitReason): Promise<Result<Plan, DomainError>> => {
    const waiting = waitFor(finalized, reason, now);
    if (!waiting.ok) return waiting;
    const unchanged = finalized.payment.status === 'pending' && finalized.payment.waitingFor === reason;
    const stored = unchanged ? finalized : await tx.invoices.update(waiting.value);
    return done({ outcome: 'waiting', invoice: stored, reason });
  };

  const link = customer.billing;
  if (link.provider === 'none') return wait('customer_has_no_payment_provider');
  const connection = await tx.stripeConnections.findById(link.connectionId);
  if (!connection) return wait('customer_has_no_payment_provider');
  if (link.providerCustomer.status === 'pending') return wait('provider_customer_pending');
  if (link.providerCustomer.status === 'error') return wait('provider_customer_error');
  if (!isLinked(link)) return wait('customer_has_no_payment_provider');

  const means = chargeMeans(link.paymentMethodTypes, finalized.currency, customer.address.country);
  if (!means.ok) {
    const failure = means.error;
    const failed = failWithoutAttempt(finalized, failure, now);
    if (!failed.ok) return failed;
    const stored = await tx.invoices.update(failed.value);
    await publishPaymentFailure(ctx, tx, stored, failure, { code: failure.code, message: failure.message });
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'invoice.payment_status_updated', { lago_invoice_id: stored.id }),
    );
    return done({ outcome: 'failed_without_attempt', invoice: stored, code: failure.code });
  }
  if (isBelowProviderMinimum(due, finalized.currency)) return wait('amount_below_provider_minimum');

  const { allowedMethods, bankTransfer } = means.value;
  const method = bankTransfer ? null : await savedMethodToCharge(tx, customer.id, link, allowedMethods);
  if (!method && !bankTransfer)
    return methodLookupDone
      ? wait('no_payment_method')
      : ok({ kind: 'find_method', customer, link, connection });

  const organization = await tx.organizations.findById(invoice.organizationId);
  if (!organization) return err(notFound('organization'));
  const paymentId = ctx.ids.next('payment');
  const payment: PendingPayment = {
    id: paymentId,
    organizationId: invoice.organizationId,
    invoiceId: invoice.id,
    customerId: customer.id,
    connectionId: connection.id,
    providerCustomerId: link.providerCustomer.providerCustomerId,
    providerPaymentMethodId: method?.providerPaymentMethodId ?? null,
    amountCents: due,
    currency: finalized.currency,
    providerPaymentId: null,
    providerStatus: null,
    request: {
      allowedMethods,
      description: `${organization.name} - Invoice ${finalized.number}`,
      returnUrl: connection.successRedirectUrl,
      bankTransfer,
      methodType: method?.type ?? null,
      metadata: {
        lago_invoice_id: invoice.id,
        lago_customer_id: invoice.customerId,
        lago_payment_id: paymentId,
        lago_payable_id: invoice.id,
        lago_payable_type: 'Invoice',
        lago_organization_id: invoice.organizationId,
        invoice_issuing_date: finalized.issuingDate,
        invoice_type: invoice.invoiceType,
      },
    },
    checkout: null,
    status: 'pending',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const locked = startAttempt(finalized, payment.id, now);
  if (!locked.ok) return locked;
  await tx.payments.insert(payment);
  const stored = (await tx.invoices.update(locked.value)) as FinalizedInvoice;
  return ok({ kind: 'charge', payment, invoice: stored, connection });
}

/** A pending payment of this invoice that never got an answer (crash or retryable error). */
async function resumablePayment(tx: Tx, invoice: Invoice): Promise<PendingPayment | null> {
  // After a lost dispute nothing may reach the provider again, not even a resumed attempt.
  if (invoice.status !== 'finalized' || invoice.payment.status !== 'pending' || invoice.paymentDisputeLostAt)
    return null;
  const inFlightId = invoice.payment.inFlightPaymentId;
  if (inFlightId === null) return null;
  const payment = await tx.payments.findById(inFlightId);
  // A payment link is never charged off-session: collection waits until its page is paid or expires.
  return payment?.status === 'pending' && payment.checkout === null ? payment : null;
}

async function charge(ctx: UseCaseContext, step: Charge): Promise<Result<CollectionResult, DomainError>> {
  const { payment, invoice, connection } = step;
  const answer = await sendAttempt(gatewayFor(ctx, connection), payment, ctx.clock.now());
  if (!answer.ok) return err(gatewayFailure(answer.error, connection.code));
  const settled = await inTx(ctx, invoice.organizationId, (tx) =>
    settlePayment(ctx, tx, payment.id, answer.value),
  );
  if (!settled.ok) return settled;
  return ok({ outcome: 'attempted', invoice: settled.value.invoice, payment: settled.value.payment });
}

/**
 * Sends the attempt exactly as recorded. An answer that leaves the outcome unknown, an attempt
 * recorded without its request, or one older than the provider keeps its key (a resend could
 * charge twice) is looked up at the provider instead of being sent or failed.
 */
async function sendAttempt(
  gateway: PaymentGateway,
  payment: PendingPayment,
  now: Date,
): Promise<Result<ProviderAnswer, GatewayError>> {
  const request = payment.request;
  const method = payment.providerPaymentMethodId;
  const bankTransfer = request?.bankTransfer ?? null;
  if (method === null && bankTransfer === null)
    throw new Error(`payment ${payment.id} has no method to charge off-session`);
  if (request === null || now.getTime() - payment.createdAt.getTime() > IDEMPOTENCY_WINDOW_MS) {
    return lookUpAttempt(gateway, payment, {
      code: 'not_found',
      message: 'the provider holds no payment intent for this attempt',
    });
  }
  const created = await gateway.createPaymentIntent({
    amountCents: payment.amountCents,
    currency: payment.currency,
    providerCustomerId: payment.providerCustomerId,
    providerPaymentMethodId: method,
    allowedMethods: request.allowedMethods,
    bankTransfer,
    methodType: request.methodType ?? null,
    description: request.description,
    returnUrl: request.returnUrl,
    metadata: request.metadata,
    idempotencyKey: `payment-${payment.id}`,
  });
  if (created.ok) return ok({ kind: 'outcome', outcome: created.value });
  if (leavesOutcomeUnknown(created.error)) return lookUpAttempt(gateway, payment, created.error);
  return ok({ kind: 'refused', error: created.error });
}
