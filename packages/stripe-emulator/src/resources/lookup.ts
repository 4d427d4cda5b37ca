/** Finding objects by id with Stripe's errors: 404 for the path's own id, 400 when referenced by a param. */
import type Stripe from 'stripe';
import type { Ctx } from '../context.js';
import { resourceMissing } from '../errors.js';

function find<T>(map: Map<string, T>, kind: string, id: string, param?: string): T {
  const found = map.get(id);
  if (!found) throw param ? resourceMissing(kind, id, param, 400) : resourceMissing(kind, id);
  return found;
}

export const getCustomer = (ctx: Ctx, id: string, param?: string): Stripe.Customer =>
  find(ctx.account.customers, 'customer', id, param);
export const getPaymentMethod = (ctx: Ctx, id: string, param?: string): Stripe.PaymentMethod =>
  find(ctx.account.paymentMethods, 'PaymentMethod', id, param);
export const getPaymentIntent = (ctx: Ctx, id: string, param?: string): Stripe.PaymentIntent =>
  find(ctx.account.paymentIntents, 'payment_intent', id, param);
export const getSetupIntent = (ctx: Ctx, id: string, param?: string): Stripe.SetupIntent =>
  find(ctx.account.setupIntents, 'setup_intent', id, param);
export const getMandate = (ctx: Ctx, id: string, param?: string): Stripe.Mandate =>
  find(ctx.account.mandates, 'mandate', id, param);
export const getCharge = (ctx: Ctx, id: string, param?: string): Stripe.Charge =>
  find(ctx.account.charges, 'charge', id, param);
export const getRefund = (ctx: Ctx, id: string, param?: string): Stripe.Refund =>
  find(ctx.account.refunds, 'refund', id, param);
export const getDispute = (ctx: Ctx, id: string, param?: string): Stripe.Dispute =>
  find(ctx.account.disputes, 'dispute', id, param);
export const getSession = (ctx: Ctx, id: string, param?: string): Stripe.Checkout.Session =>
  find(ctx.account.checkoutSessions, 'checkout.session', id, param);
export const getWebhookEndpoint = (ctx: Ctx, id: string, param?: string): Stripe.WebhookEndpoint =>
  find(ctx.account.webhookEndpoints, 'webhook_endpoint', id, param);
export const getEvent = (ctx: Ctx, id: string, param?: string): Stripe.Event =>
  find(ctx.account.events, 'event', id, param);

/** An expandable field's id, whether it is currently an id or an expanded object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}
