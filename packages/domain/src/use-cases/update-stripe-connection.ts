import { notFound, type ValidationCode, validation } from '../errors.js';
import type { Id } from '../model/common.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import { err, ok } from '../result.js';
import { checkSuccessRedirectUrl } from '../rules/url.js';
import { gatewayFailure, gatewayFor } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { stripeWebhookUrl } from './steps/stripe-webhook-url.js';
import type { UseCase } from './steps/use-case-context.js';

export interface UpdateStripeConnectionInput extends OrganizationScoped {
  readonly connectionId: Id;
  readonly name?: string;
  readonly code?: string;
  readonly successRedirectUrl?: string | null;
}

/**
 * Name, code and success URL may change; the secret key never does (rotation = a new connection).
 * A new code moves the webhook endpoint first, because its URL carries the code. A changed success
 * URL only affects checkout links created afterwards: links are never stored or rewritten.
 */
export const updateStripeConnection: UseCase<UpdateStripeConnectionInput, StripeConnection> = async ({
  ctx,
  input,
}) => {
  const details: Record<string, ValidationCode[]> = {};
  if (input.name !== undefined && input.name.trim() === '') details.name = ['value_is_mandatory'];
  if (input.code !== undefined && input.code.trim() === '') details.code = ['value_is_mandatory'];
  if (input.successRedirectUrl !== undefined && input.successRedirectUrl !== null) {
    const checked = checkSuccessRedirectUrl(input.successRedirectUrl);
    if (!checked.ok) details.success_redirect_url = [checked.error];
  }
  if (Object.keys(details).length > 0) return err(validation(details));

  const loaded = await inTx(ctx, input.organizationId, async (tx) => {
    const connection = await tx.stripeConnections.findById(input.connectionId);
    if (!connection || connection.organizationId !== input.organizationId)
      return err(notFound('stripe_connection'));
    const newCode = input.code?.trim();
    if (newCode !== undefined && newCode !== connection.code) {
      if (await tx.stripeConnections.findByCode(input.organizationId, newCode)) {
        return err(validation({ code: ['value_already_exist'] }));
      }
    }
    return ok(connection);
  });
  if (!loaded.ok) return loaded;
  const current = loaded.value;
  const code = input.code?.trim() ?? current.code;

  if (code !== current.code) {
    const moved = await gatewayFor(ctx, current).updateWebhookEndpoint({
      providerEndpointId: current.webhookEndpoint.providerEndpointId,
      url: stripeWebhookUrl(ctx.settings.publicBaseUrl, current.organizationId, code),
    });
    if (!moved.ok) return err(gatewayFailure(moved.error, current.code));
  }

  const next: StripeConnection = {
    ...current,
    name: input.name?.trim() ?? current.name,
    code,
    successRedirectUrl:
      input.successRedirectUrl === undefined ? current.successRedirectUrl : input.successRedirectUrl,
    updatedAt: ctx.clock.now(),
  };
  const saved = await inTx(ctx, input.organizationId, async (tx) =>
    ok(await tx.stripeConnections.update(next)),
  );
  if (!saved.ok && code !== current.code) {
    // The row kept the old code, so the endpoint must keep the old URL too.
    await gatewayFor(ctx, current).updateWebhookEndpoint({
      providerEndpointId: current.webhookEndpoint.providerEndpointId,
      url: stripeWebhookUrl(ctx.settings.publicBaseUrl, current.organizationId, current.code),
    });
  }
  return saved;
};
