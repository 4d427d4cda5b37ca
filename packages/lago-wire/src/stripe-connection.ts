import type { ConnectStripeInput, StripeConnection, UpdateStripeConnectionInput } from '@payrail/domain';
import { z } from 'zod';
import { nullableString, timestamp } from './schema.js';
import { isoSeconds } from './time.js';

/** Payrail's own resource (Lago manages connections in its UI only); the key is always masked. */
export const StripeConnectionSchema = z
  .object({
    lago_id: z.uuid(),
    name: z.string(),
    code: z.string(),
    success_redirect_url: nullableString,
    secret_key: z.string().meta({ example: 'sk_test_…4242', description: 'Always masked' }),
    webhook_endpoint_id: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'StripeConnectionObject' });
export type WireStripeConnection = z.output<typeof StripeConnectionSchema>;

export function serializeStripeConnection(connection: StripeConnection): WireStripeConnection {
  return {
    lago_id: connection.id,
    name: connection.name,
    code: connection.code,
    success_redirect_url: connection.successRedirectUrl,
    secret_key: connection.secretKey.masked(),
    webhook_endpoint_id: connection.webhookEndpoint.providerEndpointId,
    created_at: isoSeconds(connection.createdAt),
    updated_at: isoSeconds(connection.updatedAt),
  };
}

/** A memory guard only: the domain owns the URL rule (1024 characters, http or https). */
const MAX_URL_INPUT = 16_384;

/** `stripe_connection` of `POST /stripe_connections`, as `connectStripe` takes it. */
export const StripeConnectionCreateInput = z
  .object({
    name: z.string().max(255),
    code: z.string().max(255),
    secret_key: z.string().max(512),
    success_redirect_url: z.string().max(MAX_URL_INPUT).nullable().optional(),
  })
  .meta({ id: 'StripeConnectionCreateInput' })
  .transform(
    (body): Omit<ConnectStripeInput, 'organizationId'> => ({
      name: body.name,
      code: body.code,
      secretKey: body.secret_key,
      successRedirectUrl: body.success_redirect_url,
    }),
  );

/** `stripe_connection` of `PUT /stripe_connections/{id}`: only the keys sent change. */
export const StripeConnectionUpdateInput = z
  .object({
    name: z.string().max(255).optional(),
    code: z.string().max(255).optional(),
    success_redirect_url: z.string().max(MAX_URL_INPUT).nullable().optional(),
  })
  .meta({ id: 'StripeConnectionUpdateInput' })
  .transform(
    (body): Omit<UpdateStripeConnectionInput, 'organizationId' | 'connectionId'> => ({
      name: body.name,
      code: body.code,
      successRedirectUrl: body.success_redirect_url,
    }),
  );
