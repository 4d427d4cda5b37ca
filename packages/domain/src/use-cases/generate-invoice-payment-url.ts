import { type DomainError, notAllowed, notFound, validation } from '../errors.js';
import { isLinked } from '../machines/billing-link.js';
import { amountDue, checkCanOpenPaymentLink, startPaymentLink } from '../machines/invoice-machine.js';
import type { Id } from '../model/common.js';
import type { Customer } from '../model/customer.js';
import type { FinalizedInvoice, Invoice } from '../model/invoice.js';
import type { PendingPayment } from '../model/payment.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { Tx } from '../ports/unit-of-work.js';
import { err, ok, type Result } from '../result.js';
import { isBelowProviderMinimum } from '../rules/minimum-amounts.js';
import { bankTransferFor, methodsForCurrency } from '../rules/payment-methods.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import {
  isLinkPayment,
  type LinkPayment,
  reconcileLink,
  sendLinkCreation,
  settleLink,
} from './steps/payment-link-attempts.js';
import type { InvoiceRef } from './steps/references.js';
import { settlePayment } from './steps/settle-payment.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export type GenerateInvoicePaymentUrlInput = InvoiceRef;

/** An invoice's payment link (Lago's `invoice_payment_details`). */
export interface InvoicePaymentUrl {
  readonly invoice: Invoice;
  readonly customer: Customer;
  /** The link attempt: a pending payment until the customer pays on the page. */
  readonly paymentId: Id;
  readonly url: string;
  readonly expiresAt: Date;
}

interface Loaded {
  readonly invoice: FinalizedInvoice;
  readonly customer: Customer;
  readonly connection: StripeConnection;
  readonly payment: LinkPayment;
}

type Plan =
  /** The invoice's open link, still valid: the same URL again (Lago reuses it until it expires). */
  | (Loaded & { readonly kind: 'open'; readonly url: string; readonly expiresAt: Date })
  /** A new link attempt, committed; or one whose page was never answered: ask the provider. */
  | (Loaded & { readonly kind: 'create' })
  /** The open link's time is up by our clock: settle it with the provider first. */
  | (Loaded & { readonly kind: 'stale' });

/**
 * Lago's invoice payment URL: a one-time page at the provider where the customer pays what is due
 * on the invoice now, e.g. without a saved method. The link is an attempt like a collection: one
 * Payment row, in flight on the invoice from the moment it is committed (before the provider is
 * called, key `payment-{id}`), so no collection, retry, manual payment or offset can run while the
 * page is open, and the page cannot be opened while a collection is out. The same URL is returned
 * until the page expires; the attempt ends when it is paid or expires (decision 0230).
 */
export const generateInvoicePaymentUrl: UseCase<GenerateInvoicePaymentUrlInput, InvoicePaymentUrl> = async ({
  ctx,
  input,
}) => {
  // A stale link is closed with the provider, then a new one is made.
  for (let round = 0; round < 3; round++) {
    const planned = await inTx(ctx, input.organizationId, (tx) => planLink(ctx, tx, input));
    if (!planned.ok) return planned;
    const plan = planned.value;
    switch (plan.kind) {
      case 'open':
        return ok(result(plan, plan.url, plan.expiresAt));
      case 'create': {
        const made = await createPage(ctx, plan);
        if (!made.ok) return made;
        if (made.value !== 'stale') return ok(made.value);
        break;
      }
      case 'stale': {
        const closed = await reconcileLink(ctx, plan.payment, plan.invoice, plan.connection);
        if (!closed.ok) return closed;
        break;
      }
    }
  }
  return err(
    notAllowed(
      'payment_processor_is_currently_handling_payment',
      'the payment link is still open at the provider',
    ),
  );
};

function result(loaded: Loaded, url: string, expiresAt: Date): InvoicePaymentUrl {
  return { invoice: loaded.invoice, customer: loaded.customer, paymentId: loaded.payment.id, url, expiresAt };
}

async function planLink(
  ctx: UseCaseContext,
  tx: Tx,
  input: GenerateInvoicePaymentUrlInput,
): Promise<Result<Plan, DomainError>> {
  const invoice = await tx.invoices.findById(input.invoiceId);
  if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
  const customer = await tx.customers.findById(invoice.customerId);
  if (!customer) return err(notFound('customer'));
  const now = ctx.clock.now();

  if (
    invoice.status === 'finalized' &&
    invoice.payment.status === 'pending' &&
    invoice.payment.inFlightPaymentId
  ) {
    const inFlight = await tx.payments.findById(invoice.payment.inFlightPaymentId);
    if (inFlight && isLinkPayment(inFlight) && inFlight.status === 'pending') {
      const connection = await tx.stripeConnections.findById(inFlight.connectionId);
      if (!connection) return err(notFound('stripe_connection', { payment_id: inFlight.id }));
      const loaded = { invoice, customer, connection, payment: inFlight };
      const session = inFlight.checkout.session;
      if (session === null) return ok({ ...loaded, kind: 'create' });
      return session.expiresAt.getTime() > now.getTime()
        ? ok({ ...loaded, kind: 'open', url: session.url, expiresAt: session.expiresAt })
        : ok({ ...loaded, kind: 'stale' });
    }
  }

  const checked = checkCanOpenPaymentLink(invoice);
  if (!checked.ok) return checked;
  const finalized = checked.value;
  const link = customer.billing;
  if (link.provider === 'none') return err(validation({ base: ['no_linked_payment_provider'] }));
  const connection = await tx.stripeConnections.findById(link.connectionId);
  if (!connection) return err(validation({ base: ['missing_payment_provider'] }));
  if (!isLinked(link)) return err(validation({ base: ['missing_payment_provider_customer'] }));
  const allowedMethods = methodsForCurrency(link.paymentMethodTypes, finalized.currency);
  if (allowedMethods.length === 0) return err(validation({ base: ['no_compatible_payment_method'] }));
  const transfer = allowedMethods.includes('customer_balance')
    ? bankTransferFor(finalized.currency, customer.address.country)
    : null;
  if (transfer !== null && !transfer.ok) return err(validation({ base: [transfer.error] }));
  const due = amountDue(finalized);
  if (isBelowProviderMinimum(due, finalized.currency)) {
    return err(validation({ base: ['amount_below_provider_minimum'] }));
  }
  const organization = await tx.organizations.findById(invoice.organizationId);
  if (!organization) return err(notFound('organization'));

  const paymentId = ctx.ids.next('payment');
  const payment: PendingPayment & LinkPayment = {
    id: paymentId,
    organizationId: invoice.organizationId,
    invoiceId: invoice.id,
    customerId: customer.id,
    connectionId: connection.id,
    providerCustomerId: link.providerCustomer.providerCustomerId,
    providerPaymentMethodId: null,
    amountCents: due,
    currency: finalized.currency,
    providerPaymentId: null,
    providerStatus: null,
    request: {
      allowedMethods,
      description: `${organization.name} - Invoice ${finalized.number}`,
      returnUrl: connection.successRedirectUrl,
      bankTransfer: transfer?.ok ? transfer.value : null,
      metadata: {
        lago_invoice_id: invoice.id,
        lago_customer_id: invoice.customerId,
        lago_payment_id: paymentId,
        lago_payable_id: invoice.id,
        lago_payable_type: 'Invoice',
        lago_organization_id: invoice.organizationId,
        invoice_issuing_date: finalized.issuingDate,
        invoice_type: invoice.invoiceType,
        payment_type: 'one-time',
      },
    },
    checkout: { lineItemName: finalized.number, session: null },
    status: 'pending',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const locked = startPaymentLink(finalized, payment.id, now);
  if (!locked.ok) return locked;
  await tx.payments.insert(payment);
  const stored = (await tx.invoices.update(locked.value)) as FinalizedInvoice;
  return ok({ kind: 'create', invoice: stored, customer, connection, payment });
}

/**
 * Sends the committed attempt's page to the provider. A refusal ends the attempt (the invoice is
 * collectable again, `invoice.payment_failure` is sent as Lago does); an outage leaves it for the
 * next call, or the sweep, to send again under the same key.
 */
async function createPage(
  ctx: UseCaseContext,
  plan: Loaded,
): Promise<Result<InvoicePaymentUrl | 'stale', DomainError>> {
  const { payment, connection } = plan;
  const org = payment.organizationId;
  const created = await sendLinkCreation(gatewayFor(ctx, connection), payment);
  if (!created.ok) {
    const error = created.error;
    if (error.code !== 'retryable') {
      const ended = await inTx(ctx, org, (tx) =>
        settlePayment(ctx, tx, payment.id, { kind: 'refused', error }),
      );
      if (!ended.ok) return ended;
    }
    return err(gatewayFailure(error, connection.code));
  }
  const state = created.value;
  const settled = await inTx(ctx, org, (tx) => settleLink(ctx, tx, payment.id, state));
  if (!settled.ok) return settled;
  const now = ctx.clock.now();
  // A replayed creation returns the page as first made; one whose time is up is settled first.
  if (state.url === null || state.status !== 'open' || state.expiresAt.getTime() <= now.getTime()) {
    return ok('stale');
  }
  return ok(
    result({ ...plan, invoice: settled.value.invoice as FinalizedInvoice }, state.url, state.expiresAt),
  );
}
