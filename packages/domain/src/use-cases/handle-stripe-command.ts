import type { InboundStripeCommand, StripeCommand } from '../commands.js';
import type { DomainError } from '../errors.js';
import { isLinked, withDefault } from '../machines/billing-link.js';
import { assertNever, err, ok, type Result } from '../result.js';
import { defaultAfterRemoval } from '../rules/default-payment-method.js';
import { loseDispute } from './lose-dispute.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { importPaymentMethod } from './steps/import-payment-method.js';
import { inTx } from './steps/in-transaction.js';
import { isLinkPayment, settleLink } from './steps/payment-link-attempts.js';
import { invoicesPaidBy } from './steps/payment-request-outcome.js';
import { settlePayment } from './steps/settle-payment.js';
import { settleRefund } from './steps/settle-refund.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export type HandleStripeCommandInput = InboundStripeCommand;

export interface HandleStripeCommandOutput {
  /** What was done, for the inbox row and logs (e.g. `payment_succeeded`, `ignored:unknown_payment`). */
  readonly result: string;
}

type Handled = Result<HandleStripeCommandOutput, DomainError>;
type CommandOf<K extends StripeCommand['kind']> = Extract<StripeCommand, { kind: K }>;

const done = (result: string): Handled => ok({ result });
const ignored = (reason: string): Handled => ok({ result: `ignored:${reason}` });

/**
 * Applies one inbound provider event (already translated into a command) through the same use
 * cases and state machines as the API. Events about objects Payrail does not know are ignored with
 * a reason, never failed: they may belong to another system sharing the Stripe account.
 */
export const handleStripeCommand: UseCase<InboundStripeCommand, HandleStripeCommandOutput> = async ({
  ctx,
  input,
}) => {
  const command = input.command;
  switch (command.kind) {
    case 'setup_succeeded':
      return setupSucceeded(ctx, input, command);
    case 'customer_default_payment_method_changed':
      return defaultChanged(ctx, input, command);
    case 'payment_method_detached':
      return detached(ctx, input, command);
    case 'payment_intent_outcome':
      return paymentOutcome(ctx, input, command);
    case 'payment_checkout_changed':
      return paymentCheckoutChanged(ctx, input, command);
    case 'dispute_closed':
      return disputeClosed(ctx, input, command);
    case 'refund_outcome':
      return refundOutcome(ctx, input, command);
    case 'ignored':
      return ignored(command.reason);
    default:
      return assertNever(command, 'stripe command');
  }
};

async function linkedCustomer(ctx: UseCaseContext, input: InboundStripeCommand, providerCustomerId: string) {
  return ctx.uow.run(input.organizationId, async (tx) => {
    const customer = await tx.customers.findByProviderCustomerId(input.connectionId, providerCustomerId);
    const connection = await tx.stripeConnections.findById(input.connectionId);
    if (!customer || customer.organizationId !== input.organizationId || !connection) return null;
    return isLinked(customer.billing) ? { customer, link: customer.billing, connection } : null;
  });
}

async function setupSucceeded(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'setup_succeeded'>,
): Promise<Handled> {
  const found = await linkedCustomer(ctx, input, command.providerCustomerId);
  if (!found) return ignored('unknown_customer');
  // Stripe must charge the same method we do: make it the customer's default there too.
  const told = await gatewayFor(ctx, found.connection).setDefaultPaymentMethod({
    providerCustomerId: command.providerCustomerId,
    providerPaymentMethodId: command.paymentMethod.providerPaymentMethodId,
  });
  if (!told.ok && told.error.code === 'retryable')
    return err(gatewayFailure(told.error, found.connection.code));
  const imported = await inTx(ctx, input.organizationId, (tx) =>
    importPaymentMethod(ctx, tx, {
      customerId: found.customer.id,
      connectionId: input.connectionId,
      method: command.paymentMethod,
      as: 'new_method',
    }),
  );
  return imported.ok ? done('payment_method_saved') : imported;
}

async function defaultChanged(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'customer_default_payment_method_changed'>,
): Promise<Handled> {
  if (!command.paymentMethod) return ignored('no_default_payment_method');
  const found = await linkedCustomer(ctx, input, command.providerCustomerId);
  if (!found) return ignored('unknown_customer');
  const choice = found.link.defaultPaymentMethod;
  if (choice?.chosenBy === 'manual' && input.occurredAt.getTime() < found.customer.updatedAt.getTime()) {
    return ignored('older_than_manual_choice');
  }
  const method = command.paymentMethod;
  const imported = await inTx(ctx, input.organizationId, (tx) =>
    importPaymentMethod(ctx, tx, {
      customerId: found.customer.id,
      connectionId: input.connectionId,
      method,
      as: 'provider',
    }),
  );
  return imported.ok ? done('default_payment_method_updated') : imported;
}

async function detached(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'payment_method_detached'>,
): Promise<Handled> {
  if (!command.providerCustomerId) return ignored('unknown_customer');
  const providerCustomerId = command.providerCustomerId;
  return inTx(ctx, input.organizationId, async (tx) => {
    const customer = await tx.customers.findByProviderCustomerId(input.connectionId, providerCustomerId);
    if (!customer || customer.organizationId !== input.organizationId) return ignored('unknown_customer');
    const method = await tx.paymentMethods.findByProviderId(customer.id, command.providerPaymentMethodId);
    if (!method || method.deletedAt) return ignored('unknown_payment_method');
    const now = ctx.clock.now();
    await tx.paymentMethods.update({ ...method, deletedAt: now, updatedAt: now });
    if (isLinked(customer.billing)) {
      const remaining = await tx.paymentMethods.listByCustomer(customer.id);
      const next = defaultAfterRemoval(customer.billing.defaultPaymentMethod, method.id, remaining);
      if (next !== customer.billing.defaultPaymentMethod) {
        await tx.customers.update({
          ...customer,
          billing: withDefault(customer.billing, next),
          updatedAt: now,
        });
      }
    }
    return done('payment_method_removed');
  });
}

async function paymentOutcome(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'payment_intent_outcome'>,
): Promise<Handled> {
  return inTx(ctx, input.organizationId, async (tx) => {
    const byId = command.lagoPaymentId ? await tx.payments.findById(command.lagoPaymentId) : null;
    const payment =
      byId && byId.connectionId === input.connectionId
        ? byId
        : await tx.payments.findByProviderPaymentId(input.connectionId, command.outcome.providerPaymentId);
    if (!payment || payment.organizationId !== input.organizationId) return ignored('unknown_payment');
    const settled = await settlePayment(ctx, tx, payment.id, { kind: 'outcome', outcome: command.outcome });
    if (!settled.ok) return settled;
    return done(settled.value.changed ? `payment_${settled.value.payment.status}` : 'payment_unchanged');
  });
}

/** The page is read at the provider (a consistent read, whatever order events arrive in) and applied. */
async function paymentCheckoutChanged(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'payment_checkout_changed'>,
): Promise<Handled> {
  const found = await ctx.uow.run(input.organizationId, async (tx) => {
    const payment = await tx.payments.findById(command.lagoPaymentId);
    if (!payment || payment.organizationId !== input.organizationId) return null;
    if (payment.connectionId !== input.connectionId || !isLinkPayment(payment)) return null;
    const connection = await tx.stripeConnections.findById(payment.connectionId);
    return connection ? { payment, connection } : null;
  });
  if (!found) return ignored('unknown_payment');
  const read = await gatewayFor(ctx, found.connection).retrievePaymentCheckoutSession({
    providerSessionId: command.providerSessionId,
  });
  if (!read.ok) return err(gatewayFailure(read.error, found.connection.code));
  const state = read.value;
  return inTx(ctx, input.organizationId, async (tx) => {
    const settled = await settleLink(ctx, tx, found.payment.id, state);
    if (!settled.ok) return settled;
    return done(settled.value.changed ? `payment_${settled.value.payment.status}` : 'payment_unchanged');
  });
}

async function disputeClosed(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'dispute_closed'>,
): Promise<Handled> {
  if (command.result !== 'lost') return ignored(`dispute_${command.result}`);
  const paid = await ctx.uow.run(input.organizationId, async (tx) => {
    const payment = await tx.payments.findByProviderPaymentId(input.connectionId, command.providerPaymentId);
    if (!payment || payment.organizationId !== input.organizationId) return null;
    return invoicesPaidBy(tx, payment);
  });
  if (!paid) return ignored('unknown_payment');
  // A payment request's charge paid several invoices: the dispute is lost on every one of them.
  for (const invoiceId of paid) {
    const lost = await loseDispute({
      ctx,
      input: {
        organizationId: input.organizationId,
        invoiceId,
        reason: command.reason,
        lostAt: command.closedAt,
      },
    });
    if (!lost.ok) return lost;
  }
  return done('dispute_lost');
}

async function refundOutcome(
  ctx: UseCaseContext,
  input: InboundStripeCommand,
  command: CommandOf<'refund_outcome'>,
): Promise<Handled> {
  return inTx(ctx, input.organizationId, async (tx) => {
    const byId = command.lagoCreditNoteId ? await tx.creditNotes.findById(command.lagoCreditNoteId) : null;
    const creditNote =
      byId ?? (await tx.creditNotes.findByProviderRefundId(command.outcome.providerRefundId));
    if (!creditNote || creditNote.organizationId !== input.organizationId) return ignored('unknown_refund');
    const settled = await settleRefund(ctx, tx, creditNote.id, { kind: 'outcome', outcome: command.outcome });
    if (!settled.ok) return settled;
    return done(`refund_${settled.value.refund?.state.status ?? 'none'}`);
  });
}
