import { err, type GatewayResult, ok, Secret } from '@payrail/domain';
import Stripe from 'stripe';
import { callStripe } from '../call.js';
import type { OperationContext } from './context.js';

export async function registerWebhookEndpoint(
  ctx: OperationContext,
  input: { readonly url: string },
): GatewayResult<{ readonly providerEndpointId: string; readonly signingSecret: Secret }> {
  const created = await callStripe(ctx.retry, () =>
    ctx.stripe.webhookEndpoints.create({
      url: input.url,
      enabled_events: [...ctx.webhookEvents] as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
      // Events are rendered in the endpoint's version; pinning it keeps payloads in the shape we parse.
      api_version: Stripe.API_VERSION,
    }),
  );
  if (!created.ok) return created;
  const secret = created.value.secret;
  if (!secret) {
    return err({
      code: 'invalid_request',
      providerCode: null,
      message: 'Stripe created the webhook endpoint but returned no signing secret.',
    });
  }
  return ok({ providerEndpointId: created.value.id, signingSecret: new Secret(secret) });
}

export async function updateWebhookEndpoint(
  ctx: OperationContext,
  input: { readonly providerEndpointId: string; readonly url: string },
): GatewayResult<void> {
  const updated = await callStripe(ctx.retry, () =>
    ctx.stripe.webhookEndpoints.update(input.providerEndpointId, {
      url: input.url,
      enabled_events: [...ctx.webhookEvents] as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
    }),
  );
  return updated.ok ? ok(undefined) : updated;
}

/** Deleting an endpoint that is already gone succeeds: a retried job must not fail on its own success. */
export async function deleteWebhookEndpoint(
  ctx: OperationContext,
  input: { readonly providerEndpointId: string },
): GatewayResult<void> {
  const deleted = await callStripe(ctx.retry, () =>
    ctx.stripe.webhookEndpoints.del(input.providerEndpointId),
  );
  if (deleted.ok || deleted.error.code === 'not_found') return ok(undefined);
  return deleted;
}
