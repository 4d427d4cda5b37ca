import { type DomainError, notFound } from '../../errors.js';
import { isFinal, recordCheckoutSession } from '../../machines/payment-machine.js';
import type { Invoice } from '../../model/invoice.js';
import type { Payment, PaymentCheckout } from '../../model/payment.js';
import type { StripeConnection } from '../../model/stripe-connection.js';
import type { GatewayError, PaymentCheckoutState, PaymentGateway } from '../../ports/payment-gateway.js';
import type { Tx } from '../../ports/unit-of-work.js';
import { err, ok, type Result } from '../../result.js';
import type { PaymentOutcomeResult } from '../apply-payment-outcome.js';
import { gatewayFailure, gatewayFor } from './gateway-errors.js';
import { inTx } from './in-transaction.js';
import { IDEMPOTENCY_WINDOW_MS } from './look-up-attempt.js';
import { settlePayment } from './settle-payment.js';
import type { UseCaseContext } from './use-case-context.js';

/** How long the provider keeps a payment page open: its default lifetime, which Payrail asks for (0230). */
export const PAYMENT_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Provider clocks and ours may disagree a little. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A payment whose attempt is a payment link. */
export type LinkPayment = Payment & { readonly checkout: PaymentCheckout };

export function isLinkPayment(payment: Payment): payment is LinkPayment {
  return payment.checkout !== null;
}

/**
 * Asks the provider for the link attempt's page, exactly as first recorded and under the attempt's
 * own key, so a creation sent again (its answer lost) gets the same page back.
 */
export function sendLinkCreation(
  gateway: PaymentGateway,
  payment: LinkPayment,
): Promise<Result<PaymentCheckoutState, GatewayError>> {
  const request = payment.request;
  if (request === null) throw new Error(`payment link ${payment.id} was recorded without its request`);
  return gateway.createPaymentCheckoutSession({
    providerCustomerId: payment.providerCustomerId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    lineItemName: payment.checkout.lineItemName,
    allowedMethods: request.allowedMethods,
    bankTransfer: request.bankTransfer ?? null,
    description: request.description,
    successUrl: request.returnUrl,
    metadata: request.metadata,
    idempotencyKey: `payment-${payment.id}`,
  });
}

/**
 * Applies what the provider says about a link attempt's page, inside `tx`: the page is recorded on
 * the attempt the first time it is seen (and a read is scheduled for its expiry); a paid page
 * settles the attempt through its intent as any other payment; an expired page ends the attempt
 * and the invoice waits for collection again.
 */
export async function settleLink(
  ctx: UseCaseContext,
  tx: Tx,
  paymentId: string,
  state: PaymentCheckoutState,
): Promise<Result<PaymentOutcomeResult, DomainError>> {
  const payment = await tx.payments.findById(paymentId);
  if (!payment || !isLinkPayment(payment)) return err(notFound('payment'));
  const invoice = await tx.invoices.findById(payment.invoiceId);
  if (!invoice) return err(notFound('invoice'));
  const now = ctx.clock.now();

  let current: Payment = payment;
  let changed = false;
  if (payment.status === 'pending' && payment.checkout.session === null && state.url !== null) {
    const recorded = recordCheckoutSession(
      payment,
      { providerSessionId: state.providerSessionId, url: state.url, expiresAt: state.expiresAt },
      now,
    );
    if (recorded.ok && recorded.value.changed) {
      current = await tx.payments.update(recorded.value.payment);
      changed = true;
      if (state.status === 'open') {
        // The page's end is read when it comes, so collection resumes without waiting for a
        // `checkout.session.expired` that may never arrive.
        await tx.jobs.enqueue({
          name: 'payment.reconcile',
          payload: { organizationId: payment.organizationId, paymentId: payment.id },
          dedupeKey: `payment.reconcile:${payment.id}:expiry`,
          runAt: new Date(state.expiresAt.getTime() + CLOCK_SKEW_MS),
        });
      }
    }
  }
  const recordedSession = isLinkPayment(current) ? current.checkout.session : null;
  if (recordedSession !== null && recordedSession.providerSessionId !== state.providerSessionId) {
    ctx.logger?.warn('payment link state for another page ignored', {
      paymentId: payment.id,
      providerSessionId: state.providerSessionId,
    });
    return ok({ payment: current, invoice, changed });
  }

  switch (state.status) {
    case 'open':
      return ok({ payment: current, invoice, changed });
    case 'expired':
      return orChanged(await settlePayment(ctx, tx, payment.id, { kind: 'link_closed' }), changed);
    case 'complete':
      if (state.payment === null) return ok({ payment: current, invoice, changed });
      return orChanged(
        await settlePayment(ctx, tx, payment.id, { kind: 'outcome', outcome: state.payment }),
        changed,
      );
  }
}

function orChanged(
  result: Result<PaymentOutcomeResult, DomainError>,
  changed: boolean,
): Result<PaymentOutcomeResult, DomainError> {
  return result.ok && changed && !result.value.changed ? ok({ ...result.value, changed: true }) : result;
}

/** Whether the invoice still waits on this attempt (and may still be paid at all). */
function isTheAttempt(invoice: Invoice, payment: Payment): boolean {
  return (
    invoice.status === 'finalized' &&
    invoice.payment.status === 'pending' &&
    invoice.payment.inFlightPaymentId === payment.id &&
    invoice.paymentDisputeLostAt === null
  );
}

/**
 * Re-reads a link attempt at the provider and applies what it finds. An open page is closed when
 * its time is up by our clock or the invoice no longer waits on it (paid another way), so a
 * customer can never pay twice; a page whose creation was never answered is fetched again under
 * its key and closed, since nobody was given its URL; past the key's window such an attempt is
 * closed once any page it may have had is expired.
 */
export async function reconcileLink(
  ctx: UseCaseContext,
  payment: LinkPayment,
  invoice: Invoice,
  connection: StripeConnection,
): Promise<Result<PaymentOutcomeResult, DomainError>> {
  const unchanged = ok({ payment, invoice, changed: false } as PaymentOutcomeResult);
  if (isFinal(payment)) return unchanged;
  const gateway = gatewayFor(ctx, connection);
  const now = ctx.clock.now();
  const org = payment.organizationId;

  let sessionId = payment.checkout.session?.providerSessionId ?? null;
  let expiresAt = payment.checkout.session?.expiresAt ?? null;
  let closeNow = !isTheAttempt(invoice, payment);
  if (sessionId === null) {
    const age = now.getTime() - payment.createdAt.getTime();
    if (age > IDEMPOTENCY_WINDOW_MS) {
      if (age <= PAYMENT_LINK_LIFETIME_MS + CLOCK_SKEW_MS) return unchanged;
      return inTx(ctx, org, (tx) => settlePayment(ctx, tx, payment.id, { kind: 'link_closed' }));
    }
    const created = await sendLinkCreation(gateway, payment);
    if (!created.ok) {
      if (created.error.code === 'retryable') return err(gatewayFailure(created.error, connection.code));
      const refused = created.error;
      return inTx(ctx, org, (tx) => settlePayment(ctx, tx, payment.id, { kind: 'refused', error: refused }));
    }
    const state = created.value;
    const recorded = await inTx(ctx, org, (tx) => settleLink(ctx, tx, payment.id, state));
    if (!recorded.ok || state.status !== 'open') return recorded;
    sessionId = state.providerSessionId;
    expiresAt = state.expiresAt;
    closeNow = true;
  }

  let read = await gateway.retrievePaymentCheckoutSession({ providerSessionId: sessionId });
  if (!read.ok) return err(gatewayFailure(read.error, connection.code));
  const timeUp = expiresAt !== null && now.getTime() >= expiresAt.getTime();
  if (read.value.status === 'open' && (closeNow || timeUp)) {
    read = await gateway.expirePaymentCheckoutSession({ providerSessionId: sessionId });
    if (!read.ok) return err(gatewayFailure(read.error, connection.code));
  }
  const state = read.value;
  return inTx(ctx, org, (tx) => settleLink(ctx, tx, payment.id, state));
}
