import { type DomainError, notFound } from '../errors.js';
import { isLinked, type LinkedStripeLink } from '../machines/billing-link.js';
import {
  checkStillCollectable,
  recordRequestFailed,
  startRequestAttempt,
  startRequestedInvoiceAttempt,
} from '../machines/payment-request-machine.js';
import type { Id, ProviderFailure } from '../model/common.js';
import type { Customer } from '../model/customer.js';
import type { PendingPayment } from '../model/payment.js';
import type { PaymentRequest, PendingPaymentRequest } from '../model/payment-request.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { Tx } from '../ports/unit-of-work.js';
import { err, ok, type Result } from '../result.js';
import { isBelowProviderMinimum } from '../rules/minimum-amounts.js';
import { isoDate } from '../rules/numbering.js';
import { chargeMeans } from '../rules/payment-methods.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { adoptProviderDefault } from './steps/adopt-provider-default.js';
import { inTx } from './steps/in-transaction.js';
import { storeRequest } from './steps/payment-request-outcome.js';
import { savedMethodToCharge } from './steps/saved-method-to-charge.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export interface CollectPaymentRequestInput {
  readonly organizationId: Id;
  readonly paymentRequestId: Id;
}

type Plan =
  | { readonly kind: 'done' }
  /** The attempt is recorded and its invoices locked: send it (or resend it, same key). */
  | { readonly kind: 'send'; readonly anchorInvoiceId: Id }
  | {
      readonly kind: 'find_method';
      readonly customer: Customer;
      readonly link: LinkedStripeLink;
      readonly connection: StripeConnection;
    };

/**
 * Charges a payment request once, as one payment for the sum of its invoices. The attempt is a
 * Payment row like an invoice's (everything sent kept on it, committed with every invoice locked to
 * it before the provider is called), and it is sent and resumed by the invoice collection itself:
 * same idempotency key `payment-{payment id}`, same lookup when the outcome is unknown, same
 * reconciliation. A request that cannot be charged as it was made (an invoice paid or changed
 * meanwhile, no provider, no usable method, below the provider's minimum) fails without an attempt.
 */
export const collectPaymentRequest: UseCase<CollectPaymentRequestInput, PaymentRequest> = async ({
  ctx,
  input,
}) => {
  let plan = await inTx(ctx, input.organizationId, (tx) => planRequest(ctx, tx, input, false));
  if (plan.ok && plan.value.kind === 'find_method') {
    const found = await adoptProviderDefault(ctx, plan.value);
    if (!found.ok) return found;
    plan = await inTx(ctx, input.organizationId, (tx) => planRequest(ctx, tx, input, true));
  }
  if (!plan.ok) return plan;
  const step = plan.value;
  if (step.kind === 'find_method') throw new Error('payment request planned a second method lookup');
  if (step.kind === 'send') {
    const sent = await collectInvoicePayment({
      ctx,
      input: { organizationId: input.organizationId, invoiceId: step.anchorInvoiceId },
    });
    if (!sent.ok) return sent;
  }
  return inTx(ctx, input.organizationId, async (tx) => {
    const request = await tx.paymentRequests.findById(input.paymentRequestId);
    return request ? ok(request) : err(notFound('payment_request'));
  });
};

async function planRequest(
  ctx: UseCaseContext,
  tx: Tx,
  input: CollectPaymentRequestInput,
  methodLookupDone: boolean,
): Promise<Result<Plan, DomainError>> {
  const request = await tx.paymentRequests.findById(input.paymentRequestId);
  if (!request || request.organizationId !== input.organizationId) return err(notFound('payment_request'));
  if (request.paymentStatus !== 'pending') return ok({ kind: 'done' });
  if (request.paymentId !== null) {
    // Started before: only an attempt that never got an answer is sent again; the others wait
    // for their webhook or the reconciliation sweep.
    const payment = await tx.payments.findById(request.paymentId);
    return payment?.status === 'pending'
      ? ok({ kind: 'send', anchorInvoiceId: payment.invoiceId })
      : ok({ kind: 'done' });
  }
  const now = ctx.clock.now();
  const fail = async (failure: ProviderFailure): Promise<Result<Plan, DomainError>> => {
    const failed = recordRequestFailed(request, failure, now);
    if (failed.changed) await storeRequest(ctx, tx, failed.request, failure);
    return ok({ kind: 'done' });
  };

  const invoices = await tx.invoices.findByIds(request.items.map((item) => item.invoiceId));
  const collectable = checkStillCollectable(request, invoices, isoDate(now));
  if (!collectable.ok) return fail(collectable.error);

  const customer = await tx.customers.findById(request.customerId);
  if (!customer) return err(notFound('customer'));
  const link = customer.billing;
  const connection =
    link.provider === 'stripe' ? await tx.stripeConnections.findById(link.connectionId) : null;
  if (link.provider !== 'stripe' || !connection || !isLinked(link)) {
    return fail({
      code: 'customer_must_have_payment_provider',
      message: 'the customer has no Stripe customer to charge',
    });
  }
  const means = chargeMeans(link.paymentMethodTypes, request.currency, customer.address.country);
  if (!means.ok) return fail(means.error);
  if (isBelowProviderMinimum(request.amountCents, request.currency)) {
    return fail({
      code: 'amount_too_small',
      message: `${request.amountCents} ${request.currency} is below the provider's minimum charge`,
    });
  }
  // Charged as an invoice is: a bank transfer without a saved method, else the saved method.
  const { allowedMethods, bankTransfer } = means.value;
  const method = bankTransfer ? null : await savedMethodToCharge(tx, customer.id, link, allowedMethods);
  if (!method && !bankTransfer) {
    return methodLookupDone
      ? fail({ code: 'no_payment_method', message: 'the customer has no payment method to charge' })
      : ok({ kind: 'find_method', customer, link, connection });
  }

  const organization = await tx.organizations.findById(request.organizationId);
  if (!organization) return err(notFound('organization'));
  const anchor = collectable.value[0];
  if (!anchor) throw new Error(`payment request ${request.id} has no invoice`);
  const paymentId = ctx.ids.next('payment');
  const payment: PendingPayment = {
    id: paymentId,
    organizationId: request.organizationId,
    invoiceId: anchor.id,
    paymentRequestId: request.id,
    customerId: customer.id,
    connectionId: connection.id,
    providerCustomerId: link.providerCustomer.providerCustomerId,
    providerPaymentMethodId: method?.providerPaymentMethodId ?? null,
    amountCents: request.amountCents,
    currency: request.currency,
    providerPaymentId: null,
    providerStatus: null,
    request: {
      allowedMethods,
      description: `${organization.name} - Overdue invoices: ${collectable.value.map((i) => i.number).join(', ')}`,
      returnUrl: connection.successRedirectUrl,
      bankTransfer,
      methodType: method?.type ?? null,
      metadata: {
        lago_customer_id: request.customerId,
        lago_payment_id: paymentId,
        lago_payable_id: request.id,
        lago_payable_type: 'PaymentRequest',
        lago_payment_request_id: request.id,
        lago_organization_id: request.organizationId,
      },
    },
    checkout: null,
    status: 'pending',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await tx.payments.insert(payment);
  for (const invoice of collectable.value) {
    const locked = startRequestedInvoiceAttempt(invoice, paymentId, isoDate(now), now);
    if (!locked.ok) return locked;
    await tx.invoices.update(locked.value);
  }
  const started = startRequestAttempt(request as PendingPaymentRequest, paymentId, now);
  if (!started.ok) return started;
  await tx.paymentRequests.update(started.value);
  return ok({ kind: 'send', anchorInvoiceId: anchor.id });
}
