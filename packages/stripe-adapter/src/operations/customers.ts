import type { Address, GatewayResult, Id, ProviderCustomerData } from '@payrail/domain';
import { ok } from '@payrail/domain';
import type Stripe from 'stripe';
import { callStripe } from '../call.js';
import type { OperationContext } from './context.js';

export async function createCustomer(
  ctx: OperationContext,
  input: ProviderCustomerData & {
    readonly metadata: { readonly lago_customer_id: Id; readonly customer_id: string };
    readonly idempotencyKey: string;
  },
): GatewayResult<{ readonly providerCustomerId: string }> {
  const params: Stripe.CustomerCreateParams = {
    metadata: { lago_customer_id: input.metadata.lago_customer_id, customer_id: input.metadata.customer_id },
  };
  if (input.name !== null) params.name = input.name;
  const email = firstEmail(input.email);
  if (email !== null) params.email = email;
  if (input.phone !== null) params.phone = input.phone;
  const address = addressParam(input.address);
  if (address) params.address = address;
  const created = await callStripe(ctx.retry, () =>
    ctx.stripe.customers.create(params, { idempotencyKey: input.idempotencyKey }),
  );
  return created.ok ? ok({ providerCustomerId: created.value.id }) : created;
}

/** Sends every field, so a value cleared on our side is cleared at Stripe (empty = unset). */
export async function updateCustomer(
  ctx: OperationContext,
  input: ProviderCustomerData & { readonly providerCustomerId: string },
): GatewayResult<void> {
  const updated = await callStripe(ctx.retry, () =>
    ctx.stripe.customers.update(input.providerCustomerId, {
      name: input.name ?? '',
      email: firstEmail(input.email) ?? '',
      phone: input.phone ?? '',
      address: addressParam(input.address) ?? '',
    }),
  );
  return updated.ok ? ok(undefined) : updated;
}

/** Lago keeps a comma-separated list; Stripe takes one address, the first. */
function firstEmail(value: string | null): string | null {
  const first = value?.split(',')[0]?.trim();
  return first ? first : null;
}

function addressParam(address: Address): Stripe.AddressParam | null {
  const param: Stripe.AddressParam = {};
  if (address.line1 !== null) param.line1 = address.line1;
  if (address.line2 !== null) param.line2 = address.line2;
  if (address.city !== null) param.city = address.city;
  if (address.state !== null) param.state = address.state;
  if (address.zipcode !== null) param.postal_code = address.zipcode;
  if (address.country !== null) param.country = address.country;
  return Object.keys(param).length > 0 ? param : null;
}
