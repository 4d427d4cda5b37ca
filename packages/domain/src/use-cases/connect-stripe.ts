import { type DomainError, notFound, type ValidationCode, validation } from '../errors.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import { err, ok } from '../result.js';
import { checkSuccessRedirectUrl } from '../rules/url.js';
import { Secret } from '../secret.js';
import { gatewayFailure } from './steps/gateway-errors.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import { stripeWebhookUrl } from './steps/stripe-webhook-url.js';
import type { UseCase } from './steps/use-case-context.js';

export interface ConnectStripeInput extends OrganizationScoped {
  readonly name: string;
  readonly code: string;
  readonly secretKey: string;
  readonly successRedirectUrl?: string | null;
}

export type StripeConnectionOutput = StripeConnection;

/**
 * Registers our webhook endpoint on the Stripe account (which also proves the key works), then
 * stores the connection. A key Stripe rejects is a 422 on `secret_key` and nothing is stored.
 */
export const connectStripe: UseCase<ConnectStripeInput, StripeConnection> = async ({ ctx, input }) => {
  const details: Record<string, ValidationCode[]> = {};
  const name = input.name?.trim() ?? '';
  const code = input.code?.trim() ?? '';
  const secretKey = input.secretKey?.trim() ?? '';
  if (name === '') details.name = ['value_is_mandatory'];
  if (code === '') details.code = ['value_is_mandatory'];
  if (secretKey === '') details.secret_key = ['value_is_mandatory'];
  const url = input.successRedirectUrl ?? null;
  if (url !== null) {
    const checked = checkSuccessRedirectUrl(url);
    if (!checked.ok) details.success_redirect_url = [checked.error];
  }
  if (Object.keys(details).length > 0) return err(validation(details));

  const precheck = await inTx(ctx, input.organizationId, async (tx) => {
    const organization = await tx.organizations.findById(input.organizationId);
    if (!organization) return err(notFound('organization'));
    if (await tx.stripeConnections.findByCode(input.organizationId, code)) {
      return err(validation({ code: ['value_already_exist'] }));
    }
    return ok(organization);
  });
  if (!precheck.ok) return precheck;

  const key = new Secret(secretKey);
  const gateway = ctx.gateways.forConnection({ connectionId: null, secretKey: key });
  const registered = await gateway.registerWebhookEndpoint({
    url: stripeWebhookUrl(ctx.settings.publicBaseUrl, input.organizationId, code),
  });
  if (!registered.ok) {
    const error = registered.error;
    if (error.code === 'invalid_credentials')
      return err(validation({ secret_key: ['invalid_credentials'] }, error.message));
    return err(gatewayFailure(error, code));
  }

  const now = ctx.clock.now();
  const connection: StripeConnection = {
    id: ctx.ids.next('stripe_connection'),
    organizationId: input.organizationId,
    name,
    code,
    secretKey: key,
    successRedirectUrl: url,
    webhookEndpoint: registered.value,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const stored = await inTx(ctx, input.organizationId, async (tx) =>
    ok(await tx.stripeConnections.insert(connection)),
  );
  if (!stored.ok) {
    await undoRegistration(ctx, gateway, registered.value.providerEndpointId, stored.error);
    return stored;
  }
  return stored;
};

async function undoRegistration(
  ctx: Parameters<typeof connectStripe>[0]['ctx'],
  gateway: { deleteWebhookEndpoint(i: { providerEndpointId: string }): Promise<unknown> },
  providerEndpointId: string,
  cause: DomainError,
): Promise<void> {
  // Lost the race for the code: the endpoint we registered would otherwise dangle on the account.
  const undone = await gateway.deleteWebhookEndpoint({ providerEndpointId });
  ctx.logger?.warn('stripe connection not stored; webhook endpoint removed', {
    providerEndpointId,
    reason: cause.code,
    undone,
  });
}
