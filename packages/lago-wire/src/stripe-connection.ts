import type { StripeConnection } from '@payrail/domain';
import { isoSeconds } from './time.js';

/** Payrail's own resource (Lago manages connections in its UI only); the key is always masked. */
export interface WireStripeConnection {
  readonly lago_id: string;
  readonly name: string;
  readonly code: string;
  readonly success_redirect_url: string | null;
  readonly secret_key: string;
  readonly webhook_endpoint_id: string;
  readonly created_at: string;
  readonly updated_at: string;
}

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
