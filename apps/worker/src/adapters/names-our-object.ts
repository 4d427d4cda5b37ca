import type { StripeCommand } from '@payrail/domain';
import type { InboxEvent } from '../inbox/ports.js';

/**
 * Reads the metadata Payrail writes on the Stripe objects it creates: an event whose object carries
 * this organization's id and one of our object ids is about an object we created, even if the
 * lookup found nothing yet. Objects without it (created elsewhere on the same account) are foreign.
 */
export function namesOurObject(row: InboxEvent, command: StripeCommand): boolean {
  const data = row.payload.data as { object?: { metadata?: Record<string, unknown> } } | undefined;
  const metadata = data?.object?.metadata;
  if (metadata?.lago_organization_id !== row.organizationId) return false;
  switch (command.kind) {
    case 'payment_intent_outcome':
      return command.lagoPaymentId !== null;
    case 'payment_checkout_changed':
      return true;
    case 'refund_outcome':
      return command.lagoCreditNoteId !== null;
    default:
      return false;
  }
}
