import type { PayloadRenderer } from './ports.js';

/**
 * Lago's envelope around the event's stored data. Object events carry only ids here
 * (`{lago_invoice_id}`); the full objects come from `@payrail/lago-wire`'s serializers, which the
 * composition root uses instead when available.
 */
export const minimalRender: PayloadRenderer = async (event) => ({
  webhook_type: event.webhookType,
  object_type: event.objectType,
  organization_id: event.organizationId,
  [event.objectType]: event.payload,
});
