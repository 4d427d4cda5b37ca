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

/**
 * Pushes only what we hold: a field we have no value for is left as Stripe has it, never blanked,
 * because a linked Stripe customer may carry details we never had. Stripe replaces the address as
 * a whole, so the parts we lack are taken from the address Stripe holds.
 */
export async function updateCustomer(
  ctx: OperationContext,
  input: ProviderCustomerData & { readonly providerCustomerId: string },
): GatewayResult<void> {
  const params: Stripe.CustomerUpdateParams = {};
  if (input.name !== null) params.name = input.name;
  const email = firstEmail(input.email);
  if (email !== null) params.email = email;
  if (input.phone !== null) params.phone = input.phone;
  const address = addressParam(input.address);
  if (address && !isComplete(address)) {
    const current = await callStripe(ctx.retry, () =>
      ctx.stripe.customers.retrieve(input.providerCustomerId),
    );
    if (!current.ok) return current;
    const held = 'deleted' in current.value ? null : (current.value.address ?? null);
    params.address = { ...fromStripeAddress(held), ...address };
  } else if (address) params.address = address;
  const updated = await callStripe(ctx.retry, () =>
    ctx.stripe.customers.update(input.providerCustomerId, params),
  );
  return updated.ok ? ok(undefined) : updated;
}

const ADDRESS_PARTS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const;

function isComplete(address: Stripe.AddressParam): boolean {
  return ADDRESS_PARTS.every((part) => address[part] !== undefined);
}

function fromStripeAddress(address: Stripe.Address | null): Stripe.AddressParam {
  const param: Stripe.AddressParam = {};
  for (const part of ADDRESS_PARTS) {
    const value = address?.[part];
    if (value) param[part] = value;
  }
  return param;
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
