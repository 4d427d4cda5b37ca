import { type GatewayResult, ok, type ProviderPaymentMethod } from '@payrail/domain';
import { callStripe } from '../call.js';
import { toProviderPaymentMethod } from '../translate/payment-method.js';
import { isRecord, type JsonRecord, rec } from '../translate/records.js';
import type { OperationContext } from './context.js';

/** More saved methods than this on one customer is not a billing setup we need to page through. */
const LIST_LIMIT = 100;

export async function listPaymentMethods(
  ctx: OperationContext,
  input: { readonly providerCustomerId: string },
): GatewayResult<readonly ProviderPaymentMethod[]> {
  const listed = await callStripe(ctx.retry, () =>
    ctx.stripe.customers.listPaymentMethods(input.providerCustomerId, { limit: LIST_LIMIT }),
  );
  if (!listed.ok) return listed;
  const methods = listed.value.data.map((pm) => toProviderPaymentMethod(pm as unknown as JsonRecord));
  // Stripe lists newest first already; sorting (stable) keeps that promise whatever the server does.
  return ok(methods.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()));
}

export async function getDefaultPaymentMethod(
  ctx: OperationContext,
  input: { readonly providerCustomerId: string },
): GatewayResult<ProviderPaymentMethod | null> {
  const customer = await callStripe(ctx.retry, () =>
    ctx.stripe.customers.retrieve(input.providerCustomerId, {
      expand: ['invoice_settings.default_payment_method'],
    }),
  );
  if (!customer.ok) return customer;
  const record = customer.value as unknown as JsonRecord;
  if (record.deleted === true) {
    return {
      ok: false,
      error: { code: 'not_found', message: `Stripe customer ${input.providerCustomerId} was deleted.` },
    };
  }
  const defaultPm = rec(record, 'invoice_settings')?.default_payment_method;
  if (isRecord(defaultPm)) return ok(toProviderPaymentMethod(defaultPm));
  if (typeof defaultPm === 'string' && defaultPm !== '') {
    return retrievePaymentMethod(ctx, { providerPaymentMethodId: defaultPm });
  }
  return ok(null);
}

export async function setDefaultPaymentMethod(
  ctx: OperationContext,
  input: { readonly providerCustomerId: string; readonly providerPaymentMethodId: string },
): GatewayResult<void> {
  const updated = await callStripe(ctx.retry, () =>
    ctx.stripe.customers.update(input.providerCustomerId, {
      invoice_settings: { default_payment_method: input.providerPaymentMethodId },
    }),
  );
  return updated.ok ? ok(undefined) : updated;
}

/** Null when the method is gone or no longer attached to a customer (it can never be charged). */
export async function retrievePaymentMethod(
  ctx: OperationContext,
  input: { readonly providerPaymentMethodId: string },
): GatewayResult<ProviderPaymentMethod | null> {
  const pm = await callStripe(ctx.retry, () =>
    ctx.stripe.paymentMethods.retrieve(input.providerPaymentMethodId),
  );
  if (!pm.ok) return pm.error.code === 'not_found' ? ok(null) : pm;
  if (!pm.value.customer) return ok(null);
  return ok(toProviderPaymentMethod(pm.value as unknown as JsonRecord));
}
