import type { StripeConnection } from '../../model/stripe-connection.js';
import type { PaymentGateway } from '../../ports/payment-gateway.js';
import { newEvent } from './new-event.js';
import type { UseCaseContext } from './use-case-context.js';

/** Lago's `action` on `payment_provider.error`, per gateway call (`register_webhook` is Lago's own word). */
export const PROVIDER_ACTIONS: { readonly [K in keyof PaymentGateway]: string } = {
  registerWebhookEndpoint: 'payment_provider.register_webhook',
  updateWebhookEndpoint: 'payment_provider.refresh_webhook',
  deleteWebhookEndpoint: 'payment_provider.delete_webhook',
  createCustomer: 'payment_provider.create_customer',
  updateCustomer: 'payment_provider.update_customer',
  createSetupCheckoutSession: 'payment_provider.generate_checkout_url',
  createPaymentCheckoutSession: 'payment_provider.generate_payment_url',
  retrievePaymentCheckoutSession: 'payment_provider.fetch_payment_url',
  expirePaymentCheckoutSession: 'payment_provider.expire_payment_url',
  listPaymentMethods: 'payment_provider.list_payment_methods',
  getDefaultPaymentMethod: 'payment_provider.fetch_default_payment_method',
  setDefaultPaymentMethod: 'payment_provider.set_default_payment_method',
  createPaymentIntent: 'payment_provider.create_payment',
  retrievePaymentIntent: 'payment_provider.fetch_payment',
  findPaymentIntent: 'payment_provider.fetch_payment',
  listLostDisputes: 'payment_provider.fetch_disputes',
  createRefund: 'payment_provider.create_refund',
};

/**
 * The gateway of a stored connection, announcing every refusal of its key (`invalid_credentials`:
 * revoked, rolled or narrowed) as `payment_provider.error`, in its own transaction right after the
 * call. Gateway calls never run inside a transaction, so this never nests. The caller still gets
 * the refusal and handles it as before (a failed attempt, a link in error, a parked job).
 */
export function reportingRefusedKey(
  ctx: UseCaseContext,
  connection: StripeConnection,
  gateway: PaymentGateway,
): PaymentGateway {
  const wrapped = {} as Record<keyof PaymentGateway, unknown>;
  for (const name of Object.keys(PROVIDER_ACTIONS) as (keyof PaymentGateway)[]) {
    const call = gateway[name] as (input: unknown) => ReturnType<PaymentGateway[typeof name]>;
    wrapped[name] = async (input: unknown) => {
      const result = await call.call(gateway, input);
      if (!result.ok && result.error.code === 'invalid_credentials') {
        const message = result.error.message;
        ctx.logger?.error('Stripe refused the connection key', {
          connectionId: connection.id,
          action: PROVIDER_ACTIONS[name],
        });
        await ctx.uow.run(connection.organizationId, (tx) =>
          tx.outbox.publish(
            newEvent(ctx, connection.organizationId, 'payment_provider.error', {
              lago_payment_provider_id: connection.id,
              payment_provider_name: connection.name,
              payment_provider_code: connection.code,
              source: 'stripe',
              action: PROVIDER_ACTIONS[name],
              provider_error: { message, code: null },
            }),
          ),
        );
      }
      return result;
    };
  }
  return wrapped as unknown as PaymentGateway;
}
